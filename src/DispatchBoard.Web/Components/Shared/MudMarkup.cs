using Microsoft.AspNetCore.Components;

namespace DispatchBoard.Web.Components.Shared;

/// <summary>
/// MudBlazor's look without a component instance, for what a screen repeats hundreds of times (the board's cards). Each
/// Mud component on a card is an object with its own render tree, parameters and often an id and a JS handler; the
/// board measured 3.0 MB of server memory per open board with them and 1.3 MB once the per-card menu went. These write the
/// same elements and classes into the caller's own render tree.
/// </summary>
public static class MudMarkup
{
    /// <summary>
    /// An icon as <see cref="MudBlazor.MudIcon"/> writes it. <paramref name="icon"/> must be one of MudBlazor's
    /// <c>Icons</c> constants (their SVG paths are written as markup, as MudIcon does): never text from a user.
    /// </summary>
    public static RenderFragment Icon(string icon, string size = "medium", string? css = null, string? style = null) => builder =>
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", css is null ? $"mud-icon-root mud-svg-icon mud-icon-size-{size}" : $"mud-icon-root mud-svg-icon mud-icon-size-{size} {css}");
        builder.AddAttribute(2, "style", style);
        builder.AddAttribute(3, "focusable", "false");
        builder.AddAttribute(4, "viewBox", "0 0 24 24");
        builder.AddAttribute(5, "aria-hidden", "true");
        builder.AddMarkupContent(6, icon);
        builder.CloseElement();
    };

    /// <summary>A small chip as <see cref="MudBlazor.MudChip{T}"/> writes it (not clickable).</summary>
    /// <param name="color">error, warning, info, secondary …</param>
    /// <param name="variant">filled, outlined or text.</param>
    public static RenderFragment Chip(string text, string color, string variant = "filled", string? icon = null, string? testId = null,
        string? css = null) => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", $"mud-chip mud-chip-{variant} mud-chip-size-small mud-chip-color-{color} ma-0 {css}");
        builder.AddAttribute(2, "data-testid", testId);
        if (icon is not null)
        {
            builder.AddContent(3, Icon(icon, "small", "mud-chip-icon"));
        }
        builder.OpenElement(4, "span");
        builder.AddAttribute(5, "class", "mud-chip-content");
        builder.AddContent(6, text);
        builder.CloseElement();
        builder.CloseElement();
    };
}
