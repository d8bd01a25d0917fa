using KubeWeb.Web.Exec;

namespace KubeWeb.Web.Tests.Exec;

public sealed class ExecExitTests
{
    [Fact]
    public void Success_IsExitZero() =>
        Assert.Equal(0, ExecExit.FromStatus("""{"metadata":{},"status":"Success"}""").Code);

    [Fact]
    public void NonZeroExitCode_CarriesTheCode()
    {
        var exit = ExecExit.FromStatus("""
            {"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh], exit code 3",
             "reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}
            """);

        Assert.Equal(3, exit.Code);
        Assert.Equal("exited with status 3", exit.Message);
    }

    [Fact]
    public void OtherFailures_AreAMessageWithoutCode()
    {
        var exit = ExecExit.FromStatus("""{"status":"Failure","message":"exec: \"bash\": executable file not found in $PATH","reason":"InternalError"}""");

        Assert.Null(exit.Code);
        Assert.Contains("bash", exit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoStatus_SaysTheConnectionClosed() =>
        Assert.Contains("without an exit status", ExecExit.FromStatus("").Message, StringComparison.Ordinal);
}
