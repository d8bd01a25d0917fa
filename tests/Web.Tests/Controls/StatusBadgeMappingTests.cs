using KubeWeb.Web.Components.Controls;

namespace KubeWeb.Web.Tests.Controls;

public sealed class StatusBadgeMappingTests
{
    [Theory]
    [InlineData("Running", BadgeTone.Success)]
    [InlineData("Completed", BadgeTone.Success)]
    [InlineData("Bound", BadgeTone.Success)]
    [InlineData("Ready", BadgeTone.Success)]
    [InlineData("Pending", BadgeTone.Warning)]
    [InlineData("ContainerCreating", BadgeTone.Warning)]
    [InlineData("Terminating", BadgeTone.Warning)]
    [InlineData("Init:0/2", BadgeTone.Warning)]
    [InlineData("NotReady", BadgeTone.Warning)]
    [InlineData("Ready,SchedulingDisabled", BadgeTone.Warning)]
    [InlineData("CrashLoopBackOff", BadgeTone.Error)]
    [InlineData("ImagePullBackOff", BadgeTone.Error)]
    [InlineData("ErrImagePull", BadgeTone.Error)]
    [InlineData("Failed", BadgeTone.Error)]
    [InlineData("OOMKilled", BadgeTone.Error)]
    [InlineData("Init:CrashLoopBackOff", BadgeTone.Error)]
    [InlineData("3/3", BadgeTone.Success)]
    [InlineData("1/3", BadgeTone.Warning)]
    [InlineData("0/1", BadgeTone.Error)]
    [InlineData("0/0", BadgeTone.Neutral)]
    [InlineData("", BadgeTone.Neutral)]
    [InlineData("SomethingNew", BadgeTone.Info)]
    public void Map_GivesTheToneKubectlUsersExpect(string text, BadgeTone tone) => Assert.Equal(tone, StatusBadgeMapping.Map(text));

    [Theory]
    [InlineData("Status", true)]
    [InlineData("READY", true)]
    [InlineData("Phase", true)]
    [InlineData("Restarts", false)]
    public void BadgeColumns_AreStatusPhaseAndReady(string column, bool badge) => Assert.Equal(badge, StatusBadgeMapping.IsBadgeColumn(column));
}
