using DispatchBoard.Web.Hosting;

namespace DispatchBoard.Web.Areas;

public sealed record AreaDto(int Id, string Code, string Name, string? ParentCode, AreaLevel Level, AreaKind Kind, string Path);

public static class AreaEndpoints
{
    public static IEndpointRouteBuilder MapAreaEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous: the report form's picker, kiosks and scripts. Retired areas take no reports, so they are not listed.
        app.MapGet("/api/areas", async (AreaDirectory areas, CancellationToken ct) =>
                TypedResults.Ok((await areas.GetAsync(ct)).InTreeOrder.Where(a => !a.IsRetired)
                    .Select(a => new AreaDto(a.Id, a.Code, a.Name, a.ParentCode, a.Level, a.Kind, a.Path))))
            .AllowAnonymous().WithTags("Intake")
            .WithSummary("The places one can report a problem in")
            .WithDescription("Every area that takes reports (not retired), in tree order: campus, buildings, floors, rooms; a report names its code.")
            .Returns<IReadOnlyList<AreaDto>>();
        return app;
    }
}
