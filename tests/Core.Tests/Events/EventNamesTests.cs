using KubeWeb.Core.Events;

namespace KubeWeb.Core.Tests.Events;

public sealed class EventNamesTests
{
    [Fact]
    public void Name_is_the_object_name_and_hex_nanoseconds_like_client_go()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123).AddTicks(4);
        var name = EventNames.For("web-0", at.AddYears(30));

        var suffix = name["web-0.".Length..];
        Assert.StartsWith("web-0.", name);
        Assert.True(long.Parse(suffix, System.Globalization.NumberStyles.HexNumber) >= (at.AddYears(30).UtcTicks - DateTime.UnixEpoch.Ticks) * 100);
    }

    [Fact]
    public void Names_sort_in_recording_order_even_within_one_tick_and_across_recorders()
    {
        var now = DateTimeOffset.UtcNow.AddYears(40);
        var names = Enumerable.Range(0, 50).Select(_ => EventNames.For("p", now)).ToList();
        names.Add(EventNames.For("p", now.AddMilliseconds(1)));

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(names, names.Order(StringComparer.Ordinal));
    }
}
