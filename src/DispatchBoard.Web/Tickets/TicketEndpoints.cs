using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using static DispatchBoard.Web.Tickets.TicketsText;

namespace DispatchBoard.Web.Tickets;

public sealed record ReportTicketRequest(
    string? AreaCode,
    string? Category,
    string? Description,
    bool Urgent,
    string? ReporterName,
    string? ReporterContact,
    string? LocationDetail);

public sealed record TransitionRequest(string? To, string? Note);

public sealed record AssignRequest(int? StaffId);

public sealed record HelperRequest(int? StaffId);

/// <param name="Slot">NextBreak, AfterSchool or At.</param>
/// <param name="At">With At: the time to plan for (ISO 8601 with an offset; today or tomorrow, not during a lesson).</param>
public sealed record PlanRequest(string? Slot, DateTimeOffset? At);

public sealed record ConfirmRequest(int? Rating, string? Comment);

public sealed record ReopenRequest(string? Comment);

public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        // The server stops reading an anonymous body past the cap (ReadJsonAsync refuses it too, on any server).
        var anonymous = app.MapGroup("/api/tickets").AllowAnonymous().WithTags("Intake")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes));
        anonymous.MapPost("/", ReportAsync).DisableAntiforgery();
        anonymous.MapGet("/track/{trackingCode}", TrackAsync);
        anonymous.MapPost("/track/{trackingCode}/confirm", ConfirmAsync).DisableAntiforgery();
        anonymous.MapPost("/track/{trackingCode}/reopen", ReopenAsync).DisableAntiforgery();

        var staff = app.MapGroup("/api/tickets").RequireAuthorization(Policies.Board).WithTags("Tickets");
        staff.MapGet("/", ListAsync);
        staff.MapGet("/{id:int}", GetAsync);
        staff.MapPost("/{id:int}/claim", ClaimAsync);
        staff.MapPost("/{id:int}/transition", TransitionAsync);
        // The dispatcher plans any job, a staff member the jobs they claimed: the service decides.
        staff.MapPut("/{id:int}/plan", PlanAsync);
        staff.MapDelete("/{id:int}/plan", ClearPlanAsync);
        app.MapPost("/api/tickets/{id:int}/assign", AssignAsync).RequireAuthorization(Policies.Dispatch).WithTags("Tickets");
        app.MapTriageEndpoints();
        // Helpers: the lead or a dispatcher adds and removes them, a helper marks their own part done; the service decides.
        staff.MapPost("/{id:int}/helpers", AddHelperAsync);
        staff.MapDelete("/{id:int}/helpers/{staffId:int}", RemoveHelperAsync);
        staff.MapPost("/{id:int}/helpers/me/done", HelperDoneAsync);
        return app;
    }

    private static async Task<IResult> ReportAsync(HttpContext http, TicketIntake intake, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<ReportTicketRequest>(http);
        if (error is not null)
        {
            return error;
        }
        var report = new ReportTicket(body!.AreaCode, body.Category, body.Description, body.Urgent, body.ReporterName,
            body.ReporterContact, body.LocationDetail);
        var result = await intake.ReportAsync(report, TicketChannel.Api, Actor.From(http.User), ClientNetwork.AddressOf(http), ct);
        return ApiResults.From(result, created => TypedResults.Created(
            $"/api/tickets/track/{created.TrackingCode}",
            new { created.Id, created.TrackingCode, created.Status, TrackingUrl = $"/track/{created.TrackingCode}", created.PhotosNotKept }));
    }

    private static async Task<IResult> ConfirmAsync(string trackingCode, HttpContext http, TicketIntake intake, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<ConfirmRequest>(http);
        return error ?? ApiResults.From(await intake.ConfirmAsync(trackingCode, body!.Rating, body.Comment, ClientNetwork.AddressOf(http), ct),
            _ => TypedResults.Ok(new { Status = TicketStatus.Closed }));
    }

    private static async Task<IResult> ReopenAsync(string trackingCode, HttpContext http, TicketIntake intake, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<ReopenRequest>(http);
        return error ?? ApiResults.From(await intake.ReopenAsync(trackingCode, body!.Comment, ClientNetwork.AddressOf(http), ct),
            _ => TypedResults.Ok(new { Status = TicketStatus.New }));
    }

    private static async Task<IResult> TrackAsync(string trackingCode, HttpContext http, TicketQueries tickets, IntakeRateLimiter limiter,
        CancellationToken ct)
    {
        var client = ClientNetwork.AddressOf(http);
        if (limiter.TrackingRefusal(client) is { } refusal)
        {
            return ApiResults.TooMany(refusal, limiter.TrackingWindow);
        }
        if (await tickets.TrackAsync(trackingCode, ct) is { } view)
        {
            return TypedResults.Ok(view);
        }
        limiter.RecordTrackingMiss(client);
        return ApiResults.Problem(StatusCodes.Status404NotFound, L["Not found"],
            L["No report has this tracking code. Check the code on your confirmation (10 letters and digits)."]);
    }

    private static async Task<IResult> ListAsync(TicketQueries tickets, bool? open, int? take, CancellationToken ct)
    {
        if (take is < 1 or > 500)
        {
            return ApiResults.Invalid("take", L["take must be between 1 and 500."]);
        }
        return TypedResults.Ok(await tickets.ListAsync(open ?? false, take ?? 100, ct));
    }

    private static async Task<IResult> GetAsync(int id, TicketQueries tickets, CancellationToken ct) =>
        await tickets.GetDetailAsync(id, ct) is { } detail
            ? TypedResults.Ok(detail)
            : ApiResults.Problem(StatusCodes.Status404NotFound, L["Not found"], L["There is no ticket #{0}.", id]);

    private static async Task<IResult> ClaimAsync(int id, HttpContext http, TicketChanges tickets, CancellationToken ct) =>
        ApiResults.From(await tickets.ClaimAsync(id, Actor.From(http.User)!, ct), TypedResults.Ok);

    private static async Task<IResult> TransitionAsync(int id, HttpContext http, TicketChanges tickets, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<TransitionRequest>(http);
        if (error is not null)
        {
            return error;
        }
        if (!EnumNames.TryParse<TicketStatus>(body!.To, out var to))
        {
            return ApiResults.Invalid("to", string.IsNullOrWhiteSpace(body.To)
                ? L["Say which status to move to: one of {0}.", EnumNames.List<TicketStatus>()]
                : L["'{0}' is not a status; use one of {1}.", body.To, EnumNames.List<TicketStatus>()]);
        }
        return ApiResults.From(await tickets.MoveAsync(id, to, body.Note, Actor.From(http.User)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> AssignAsync(int id, HttpContext http, TicketChanges tickets, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<AssignRequest>(http);
        if (error is not null)
        {
            return error;
        }
        if (body!.StaffId is not { } staffId)
        {
            return ApiResults.Invalid("staffId", L["Say which staff member gets the ticket (staffId)."]);
        }
        return ApiResults.From(await tickets.AssignAsync(id, staffId, Actor.From(http.User)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> PlanAsync(int id, HttpContext http, TicketPlans plans, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<PlanRequest>(http);
        if (error is not null)
        {
            return error;
        }
        if (!EnumNames.TryParse<PlanSlot>(body!.Slot, out var slot))
        {
            return ApiResults.Invalid("slot", string.IsNullOrWhiteSpace(body.Slot)
                ? L["Say when: one of {0} (At with a time in \"at\").", EnumNames.List<PlanSlot>()]
                : L["'{0}' is not a slot; use one of {1}.", body.Slot, EnumNames.List<PlanSlot>()]);
        }
        return ApiResults.From(await plans.PlanAsync(id, new PlanTicket(slot, body.At), Actor.From(http.User)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> ClearPlanAsync(int id, HttpContext http, TicketPlans plans, CancellationToken ct) =>
        ApiResults.From(await plans.ClearAsync(id, Actor.From(http.User)!, ct), TypedResults.Ok);

    private static async Task<IResult> AddHelperAsync(int id, HttpContext http, TicketTeam team, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<HelperRequest>(http);
        if (error is not null)
        {
            return error;
        }
        if (body!.StaffId is not { } staffId)
        {
            return ApiResults.Invalid("staffId", L["Say which staff member helps (staffId)."]);
        }
        return ApiResults.From(await team.AddHelperAsync(id, staffId, Actor.From(http.User)!, ct), TypedResults.Ok);
    }

    private static async Task<IResult> RemoveHelperAsync(int id, int staffId, HttpContext http, TicketTeam team, CancellationToken ct) =>
        ApiResults.From(await team.RemoveHelperAsync(id, staffId, Actor.From(http.User)!, ct), TypedResults.Ok);

    private static async Task<IResult> HelperDoneAsync(int id, HttpContext http, TicketTeam team, CancellationToken ct) =>
        ApiResults.From(await team.MarkDoneAsync(id, Actor.From(http.User)!, ct), TypedResults.Ok);
}
