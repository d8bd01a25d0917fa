using YamlDotNet.RepresentationModel;

namespace KubeWeb.Core.Tests.Repository;

/// <summary>No Docker engine runs here, so the compose file is checked by parsing it.</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public void ComposeFile_DefinesPostgresServerAndNodes_WithCommandsTheCliKnows()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "KubeWeb.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(root, "docker-compose.yml"))));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        Assert.Equal(["postgres", "server", "nodes"], services.Children.Keys.Select(k => k.ToString()));

        var server = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)services["server"])["command"]).Children);
        Assert.StartsWith("server ", server, StringComparison.Ordinal);
        Assert.Contains("--datastore-endpoint=postgres://", server, StringComparison.Ordinal);
        var nodes = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)services["nodes"])["command"]).Children);
        Assert.Contains("--token-file=/var/lib/kubeweb/node-token", nodes, StringComparison.Ordinal);
    }
}
