namespace DispatchBoard.Web.Photos;

public static class PhotosFeature
{
    /// <summary>Photos of problems and fixes: checked, stored under the data directory, served with rights.</summary>
    public static IServiceCollection AddPhotos(this IServiceCollection services)
    {
        services.AddSingleton<PhotoStore>();
        return services;
    }
}
