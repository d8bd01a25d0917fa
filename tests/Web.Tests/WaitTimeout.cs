using System.Runtime.CompilerServices;
using Bunit;

namespace KubeWeb.Web.Tests;

internal static class WaitTimeout
{
    /// <summary>
    /// bUnit waits 1 s by default for a render to satisfy an assertion. A cold first render of a
    /// few thousand rows while the other test classes run on the same 2 cores took longer in CI.
    /// A wait returns as soon as its assertion holds, so a longer limit costs passing tests nothing.
    /// </summary>
    [ModuleInitializer]
    internal static void Lengthen() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
}
