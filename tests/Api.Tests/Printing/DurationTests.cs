using KubeWeb.Api.Printing;

namespace KubeWeb.Api.Tests.Printing;

public class DurationTests
{
    [Theory]
    [InlineData(-3, "<invalid>")]
    [InlineData(-2, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(200, "3m20s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(45 * 60, "45m")]
    [InlineData(179 * 60 + 59, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 3600 + 3 * 60, "5h3m")]
    [InlineData(7 * 3600 + 59 * 60 + 59, "7h59m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600 + 59 * 60, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData((3 * 24 + 5) * 3600, "3d5h")]
    [InlineData((7 * 24 + 23) * 3600, "7d23h")]
    [InlineData(8 * 24 * 3600, "8d")]
    [InlineData(90 * 24 * 3600, "90d")]
    [InlineData(729 * 24 * 3600, "729d")]
    [InlineData(730 * 24 * 3600, "2y")]
    [InlineData(760 * 24 * 3600, "2y30d")]
    [InlineData(2919L * 24 * 3600, "7y364d")]
    [InlineData(2920L * 24 * 3600, "8y")]
    [InlineData(10000L * 24 * 3600, "27y")]
    public void HumanDuration_MatchesApimachinery(long seconds, string expected) =>
        Assert.Equal(expected, Duration.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(-1999, "0s")]
    [InlineData(-2000, "<invalid>")]
    [InlineData(1999, "1s")]
    [InlineData(119_999, "119s")]
    public void HumanDuration_TruncatesFractionsTowardZero(long milliseconds, string expected) =>
        Assert.Equal(expected, Duration.HumanDuration(TimeSpan.FromMilliseconds(milliseconds)));
}
