namespace KubeWeb.Api.Patching;

/// <summary>RFC 6901 JSON pointers: <c>/a/b~1c/d~0e</c> names the tokens <c>a</c>, <c>b/c</c>, <c>d~e</c>.</summary>
internal static class JsonPointer
{
    /// <summary>The unescaped reference tokens, an empty list for the whole document (""), or null
    /// when the pointer does not start with '/'.</summary>
    public static IReadOnlyList<string>? Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            return null;
        }

        return pointer[1..].Split('/').Select(Unescape).ToArray();
    }

    /// <summary>Order matters: "~01" is "~1" literally, not "/".</summary>
    public static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
