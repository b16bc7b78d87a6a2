using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Photos;

public static class PhotoEndpoints
{
    public static IEndpointRouteBuilder MapPhotoEndpoints(this IEndpointRouteBuilder app)
    {
        // Staff, the dispatcher and the principal see every photo of a ticket.
        app.MapGet("/photos/{id:int}", (int id, IDbContextFactory<DispatchDbContext> dbFactory, PhotoStore store, HttpContext http, CancellationToken ct) =>
            ServeStaffAsync(id, thumbnail: false, dbFactory, store, http, ct)).RequireAuthorization(Policies.TicketReader).WithTags("Photos")
            .WithSummary("A ticket's photo")
            .WithDescription("Any photo of a ticket (the report's, a note's, a fix's), as stored. Private, revalidated each time (ETag).")
            .ProducesPhoto().Refuses(StatusCodes.Status404NotFound);
        app.MapGet("/photos/{id:int}/thumb", (int id, IDbContextFactory<DispatchDbContext> dbFactory, PhotoStore store, HttpContext http, CancellationToken ct) =>
            ServeStaffAsync(id, thumbnail: true, dbFactory, store, http, ct)).RequireAuthorization(Policies.TicketReader).WithTags("Photos")
            .WithSummary("A ticket's photo, small")
            .WithDescription("A small JPEG for cards and lists (the full photo for one stored before thumbnails existed).")
            .ProducesPhoto().Refuses(StatusCodes.Status404NotFound);

        // The reporter sees the photos they sent, with the tracking code as the key.
        app.MapGet("/track/{trackingCode}/photos/{id:int}", (string trackingCode, int id, IDbContextFactory<DispatchDbContext> dbFactory,
            PhotoStore store, IntakeRateLimiter limiter, HttpContext http, CancellationToken ct) => ServeReporterAsync(trackingCode, id, thumbnail: false, dbFactory, store, limiter, http, ct))
            .AllowAnonymous().WithTags("Photos")
            .WithSummary("A photo the reporter sent")
            .WithDescription("Only the report's own photos, with its tracking code as the key (never staff's note or fix photos: 404). "
                + "Wrong codes count towards the per-address tracking limit (429).")
            .ProducesPhoto().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        app.MapGet("/track/{trackingCode}/photos/{id:int}/thumb", (string trackingCode, int id, IDbContextFactory<DispatchDbContext> dbFactory,
            PhotoStore store, IntakeRateLimiter limiter, HttpContext http, CancellationToken ct) => ServeReporterAsync(trackingCode, id, thumbnail: true, dbFactory, store, limiter, http, ct))
            .AllowAnonymous().WithTags("Photos")
            .WithSummary("A photo the reporter sent, small")
            .WithDescription("The small JPEG of one of the report's own photos, with its tracking code as the key (429 as for the full photo).")
            .ProducesPhoto().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        return app;
    }

    /// <summary>The photo file: a JPEG (photos are re-encoded on upload; older ones may still be PNG or WebP).</summary>
    private static RouteHandlerBuilder ProducesPhoto(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces(StatusCodes.Status200OK, typeof(Stream), "image/jpeg", "image/png", "image/webp");

    private static async Task<IResult> ServeStaffAsync(int id, bool thumbnail, IDbContextFactory<DispatchDbContext> dbFactory, PhotoStore store,
        HttpContext http, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var photo = await db.Photos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return photo is null ? NoPhoto() : Serve(photo, thumbnail, store, http);
    }

    /// <summary>A tracking code is a key: wrong ones count towards the network's tracking limit, as on the tracking page.</summary>
    private static async Task<IResult> ServeReporterAsync(string trackingCode, int id, bool thumbnail, IDbContextFactory<DispatchDbContext> dbFactory,
        PhotoStore store, IntakeRateLimiter limiter, HttpContext http, CancellationToken ct)
    {
        var client = ClientNetwork.AddressOf(http);
        if (limiter.TrackingRefusal(client) is { } refusal)
        {
            return ApiResults.TooMany(refusal, limiter.TrackingWindow);
        }
        var code = TrackingCode.Normalize(trackingCode);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var photo = code is null ? null : await db.Photos.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == id && p.Kind == PhotoKind.Report && p.Ticket!.TrackingCode == code, ct);
        if (photo is null)
        {
            limiter.RecordTrackingMiss(client);
            return NoPhoto();
        }
        return Serve(photo, thumbnail, store, http);
    }

    /// <summary>A problem document, not the app's HTML not-found page (which an empty 404 would be re-executed into).</summary>
    private static IResult NoPhoto() => ApiResults.Problem(StatusCodes.Status404NotFound, L["Not found"], null);

    private static IResult Serve(Photo photo, bool thumbnail, PhotoStore store, HttpContext http)
    {
        // Never in a shared cache, and asked again each time: a photo shown to someone who has since lost access is not
        // served from the browser's cache without the server's say (the ETag keeps that check cheap).
        http.Response.Headers.CacheControl = "private, no-cache";
        // Photos stored before thumbnails were made have none: the full file stands in.
        var path = store.PathOf(thumbnail && photo.ThumbnailName is { } thumb ? thumb : photo.StoredName);
        return File.Exists(path)
            ? Results.File(path, photo.ContentType, enableRangeProcessing: false)
            : NoPhoto();
    }
}
