using MudBlazor;

namespace KubeWeb.Web.Components.Layout;

/// <summary>The console's light and dark palettes; the system font stack, since no font is fetched from the internet.</summary>
internal static class ConsoleTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#326ce5", AppbarBackground = "#326ce5" },
        PaletteDark = new PaletteDark { Primary = "#6c9cff", AppbarBackground = "#1e2330" },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
            },
        },
    };
}
