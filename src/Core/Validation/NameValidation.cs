using System.Text.RegularExpressions;

namespace KubeWeb.Core.Validation;

/// <summary>The name and label rules of apimachinery's validation package, with its messages.</summary>
public static partial class NameValidation
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvVarName();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKey();

    public static bool IsDns1123Label(string value, out string? error)
    {
        error = null;
        if (value.Length > Dns1123LabelMaxLength)
        {
            error = $"must be no more than {Dns1123LabelMaxLength} characters";
        }
        else if (!Dns1123Label().IsMatch(value))
        {
            error = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
        }

        return error is null;
    }

    public static bool IsDns1123Subdomain(string value, out string? error)
    {
        error = null;
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            error = $"must be no more than {Dns1123SubdomainMaxLength} characters";
        }
        else if (!Dns1123Subdomain().IsMatch(value))
        {
            error = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        }

        return error is null;
    }

    public static bool IsDns1035Label(string value, out string? error)
    {
        error = null;
        if (value.Length > Dns1123LabelMaxLength)
        {
            error = $"must be no more than {Dns1123LabelMaxLength} characters";
        }
        else if (!Dns1035Label().IsMatch(value))
        {
            error = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
        }

        return error is null;
    }

    /// <summary>A label or annotation key: optional DNS subdomain prefix, '/', a 63-char name.</summary>
    public static bool IsQualifiedName(string value, out string? error)
    {
        error = null;
        var name = value;
        var slash = value.IndexOf('/');
        if (slash >= 0)
        {
            var prefix = value[..slash];
            name = value[(slash + 1)..];
            if (prefix.Length == 0)
            {
                error = "prefix part must be non-empty";
                return false;
            }

            if (!IsDns1123Subdomain(prefix, out var prefixError))
            {
                error = "prefix part " + prefixError;
                return false;
            }
        }

        if (name.Length == 0)
        {
            error = "name part must be non-empty";
        }
        else if (name.Length > 63)
        {
            error = "name part must be no more than 63 characters";
        }
        else if (!QualifiedNamePart().IsMatch(name))
        {
            error = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        }

        return error is null;
    }

    public static bool IsLabelValue(string value, out string? error)
    {
        error = null;
        if (value.Length > 63)
        {
            error = "must be no more than 63 characters";
        }
        else if (!LabelValue().IsMatch(value))
        {
            error = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
        }

        return error is null;
    }

    public static bool IsEnvVarName(string value) => EnvVarName().IsMatch(value);

    public static bool IsConfigMapKey(string value) => value.Length <= 253 && ConfigMapKey().IsMatch(value) && value != "." && value != "..";
}
