using System.Text;

namespace KubeWeb.Host.Hosting;

/// <summary>Writes an admin kubeconfig: the server URL, the CA inline and the admin bearer token.</summary>
internal static class Kubeconfig
{
    public static string Render(string serverUrl, string caPem, string token, string clusterName = "kubeweb")
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {clusterName}
              cluster:
                server: {serverUrl}
                certificate-authority-data: {ca}
            users:
            - name: {clusterName}-admin
              user:
                token: {token}
            contexts:
            - name: {clusterName}
              context:
                cluster: {clusterName}
                user: {clusterName}-admin
                namespace: default
            current-context: {clusterName}

            """;
    }

    public static void Write(string path, string content)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
