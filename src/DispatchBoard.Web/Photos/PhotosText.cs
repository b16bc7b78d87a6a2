using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.Photos;

/// <summary>The texts of adding photos to a report or a fix.</summary>
public sealed class PhotosText
{
    public static readonly Texts L = new(typeof(PhotosText));
}
