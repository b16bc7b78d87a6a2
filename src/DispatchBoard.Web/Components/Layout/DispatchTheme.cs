using MudBlazor;

namespace DispatchBoard.Web.Components.Layout;

public static class DispatchTheme
{
    // System fonts only: the school network may not reach font CDNs, and CJK names must render.
    private static readonly string[] Fonts =
        ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Noto Sans", "PingFang SC", "Microsoft YaHei", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1E5AA8",
            Secondary = "#7C3AED",
            Tertiary = "#0F766E",
            Info = "#1D4ED8",
            // Each at least 4.5:1 with white text and on white (WCAG AA for normal text): a filled chip, button or
            // avatar and an outlined one read alike. A snackbar draws them at 95 % opacity, its text at 95 % over that,
            // which takes ~0.7 off the ratio (green-700 and red-600 fell to 4.3): hence the 800/700 shades, 5.6 and more.
            Success = "#166534",
            Warning = "#92400E",
            Error = "#B91C1C",
            AppbarBackground = "#1E5AA8",
            AppbarText = "#FFFFFF",
            Background = "#F4F6FA",
            BackgroundGray = "#E9EDF3",
            Surface = "#FFFFFF",
            DrawerBackground = "#FFFFFF",
            TextPrimary = "#1F2937",
            TextSecondary = "#4B5563",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#60A5FA",
            Secondary = "#A78BFA",
            Tertiary = "#2DD4BF",
            Info = "#60A5FA",
            Success = "#4ADE80",
            Warning = "#FBBF24",
            Error = "#F87171",
            // The dark theme's colours are light: filled chips and buttons carry dark text (white on them is under 3:1).
            PrimaryContrastText = "#0B1220",
            SecondaryContrastText = "#0B1220",
            TertiaryContrastText = "#0B1220",
            InfoContrastText = "#0B1220",
            SuccessContrastText = "#0B1220",
            WarningContrastText = "#0B1220",
            ErrorContrastText = "#0B1220",
            Background = "#0B1220",
            BackgroundGray = "#111A2E",
            Surface = "#16213A",
            AppbarBackground = "#0B1220",
            TextPrimary = "#F1F5F9",
            TextSecondary = "#CBD5E1",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H4 = new H4Typography { FontFamily = Fonts, FontWeight = "700", FontSize = "1.9rem" },
            H5 = new H5Typography { FontFamily = Fonts, FontWeight = "700" },
            H6 = new H6Typography { FontFamily = Fonts, FontWeight = "700" },
            Button = new ButtonTypography { FontFamily = Fonts, FontWeight = "600", TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", AppbarHeight = "60px" },
    };
}
