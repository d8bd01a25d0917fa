using System.CommandLine;
using System.Globalization;
using KubeWeb.Agent.Cri.V1;
using KubeWeb.Agent.Runtime.Containerd;
using KubeWeb.Host.Hosting;

namespace KubeWeb.Host.Cli;

/// <summary>
/// <c>kubeweb images import|list</c>: puts image archives into a node's containerd (the <c>k8s.io</c>
/// namespace the CRI reads), as <c>k3s ctr images import</c> or the agent's images folder do, for
/// clusters without a registry.
/// </summary>
internal static class ImagesCommand
{
    public static Command Create()
    {
        var command = new Command("images", "Import image archives into this node's containerd and list its images");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        return command;
    }

    private static Option<string?> DataDir() =>
        new("--data-dir", "-d") { Description = "The server's data folder; its containerd socket is DATA_DIR/containerd/containerd.sock (default ./data, or /var/lib/kubeweb)" };

    private static Option<string?> Address() =>
        new("--address") { Description = "containerd's socket (unix:///run/containerd/containerd.sock or a path) instead of the data folder's" };

    private static Command Import()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "OCI or Docker image archives (docker save, umoci, buildah, ctr export)", Arity = ArgumentArity.OneOrMore };
        var dataDir = DataDir();
        var address = Address();
        var baseName = new Option<string?>("--base-name") { Description = "Repository for archives whose index names only a tag (e.g. localhost/team/app); default: the names in the archive" };
        var server = new Option<string?>("--server") { Description = "Upload through this KubeWeb API server to a node's agent instead of a local containerd (needs --token-file and --node)" };
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = "File holding the admin token (the server's DATA_DIR/admin-token)" };
        var node = new Option<string?>("--node") { Description = "The node whose containerd gets the images (with --server)" };
        var caFile = new Option<FileInfo?>("--certificate-authority") { Description = "CA certificate (PEM) of the API server; without it TLS is not verified" };
        var command = new Command("import", "Import OCI or Docker image archives into containerd's k8s.io namespace so pods can run them without a registry")
        {
            files, dataDir, address, baseName, server, tokenFile, node, caFile,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(server) is { Length: > 0 } url)
            {
                if (parse.GetValue(tokenFile) is not { } tf || parse.GetValue(node) is not { Length: > 0 } nodeName)
                {
                    await Console.Error.WriteLineAsync("error: --server needs --token-file and --node");
                    return 1;
                }

                return await RemoteImport.RunAsync(new Uri(url), (await File.ReadAllTextAsync(tf.FullName, ct)).Trim(), nodeName,
                    parse.GetValue(caFile), parse.GetValue(files)!, parse.GetValue(baseName), ct);
            }

            var socket = Socket(parse.GetValue(address), parse.GetValue(dataDir));
            if (!File.Exists(socket))
            {
                await Console.Error.WriteLineAsync($"error: containerd socket {socket} does not exist (is `kubeweb server` running? use --data-dir or --address)");
                return 1;
            }

            foreach (var file in parse.GetValue(files)!)
            {
                if (!file.Exists)
                {
                    await Console.Error.WriteLineAsync($"error: {file.FullName}: no such file");
                    return 1;
                }

                try
                {
                    var output = await ImageImporter.ImportAsync(socket, file.FullName, parse.GetValue(baseName), ct);
                    Console.Write(output);
                    Console.WriteLine($"imported {file.Name}");
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync($"error: {e.Message}");
                    return 1;
                }
            }

            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var dataDir = DataDir();
        var address = Address();
        var command = new Command("list", "List the images containerd holds for pods") { dataDir, address };
        command.SetAction(async (parse, ct) =>
        {
            var socket = Socket(parse.GetValue(address), parse.GetValue(dataDir));
            if (!File.Exists(socket))
            {
                await Console.Error.WriteLineAsync($"error: containerd socket {socket} does not exist (is `kubeweb server` running? use --data-dir or --address)");
                return 1;
            }

            using var cri = new CriClient(socket);
            var images = await cri.Images.ListImagesAsync(new ListImagesRequest(), cancellationToken: ct);
            var rows = images.Images
                .SelectMany(i => (i.RepoTags.Count > 0 ? i.RepoTags : (IEnumerable<string>)["<none>"]).Select(tag => (Tag: tag, Id: ShortId(i.Id), Size: Size(i.Size))))
                .OrderBy(r => r.Tag, StringComparer.Ordinal)
                .ToList();
            var width = Math.Max("IMAGE".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Tag.Length));
            Console.WriteLine($"{"IMAGE".PadRight(width)}   {"IMAGE ID",-13}   SIZE");
            foreach (var (tag, id, size) in rows)
            {
                Console.WriteLine($"{tag.PadRight(width)}   {id,-13}   {size}");
            }

            return 0;
        });
        return command;
    }

    private static string Socket(string? address, string? dataDir) =>
        address is { Length: > 0 }
            ? ContainerdRuntimeOptions.SocketFromEndpoint(address)
            : new ContainerdConfig(Path.Combine(Path.GetFullPath(dataDir ?? ServerSettings.DefaultDataDir()), "containerd"), ImageImporter.PauseImage).SocketPath;

    private static string ShortId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..Math.Min(id.Length, 19)] : id;

    private static string Size(ulong bytes) => bytes switch
    {
        >= 1 << 30 => (bytes / (double)(1 << 30)).ToString("0.#", CultureInfo.InvariantCulture) + "GiB",
        >= 1 << 20 => (bytes / (double)(1 << 20)).ToString("0.#", CultureInfo.InvariantCulture) + "MiB",
        >= 1 << 10 => (bytes / (double)(1 << 10)).ToString("0.#", CultureInfo.InvariantCulture) + "KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + "B",
    };
}
