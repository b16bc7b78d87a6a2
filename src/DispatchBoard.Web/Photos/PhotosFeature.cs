namespace DispatchBoard.Web.Photos;

public static class PhotosFeature
{
    /// <summary>Photos of problems and fixes: checked, re-encoded, stored under the data directory, served with rights.</summary>
    public static IServiceCollection AddPhotos(this IServiceCollection services)
    {
        services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PhotoStore>();
        services.AddHostedService<IncomingPhotoSweep>();
        return services;
    }
}

/// <summary>At start: uploads left half-done by a previous run are removed.</summary>
public sealed class IncomingPhotoSweep(PhotoStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Another instance sharing the folder may be receiving right now: only files an hour old go.
        store.CleanIncoming(TimeSpan.FromHours(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
