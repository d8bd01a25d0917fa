using KubeWeb.Api.Patching;

namespace KubeWeb.Api.Tests.Patching;

public sealed class ManagedFieldsEntriesTests
{
    [Theory]
    [InlineData("2026-01-02T03:04:05Z", 1767323045)]
    [InlineData("2026-01-02T04:04:05+01:00", 1767323045)]
    [InlineData("2026-01-02T03:04:05.900Z", 1767323045)]
    [InlineData("2026-01-02T03:04:05", 1767323045)]
    [InlineData("2026-13-02T03:04:05Z", 0)]
    [InlineData("not a time", 0)]
    [InlineData(null, 0)]
    public void Seconds_ReadsTheWrittenFormatAndOtherRfc3339Times(string? time, long expected) =>
        Assert.Equal(expected, ManagedFieldsEntries.Seconds(time));

    [Fact]
    public void Seconds_OfFormatTime_IsTheUnixTime()
    {
        var t = new DateTime(2030, 6, 7, 8, 9, 10, DateTimeKind.Utc);
        Assert.Equal(new DateTimeOffset(t).ToUnixTimeSeconds(), ManagedFieldsEntries.Seconds(ManagedFieldsEntries.FormatTime(t)));
    }
}
