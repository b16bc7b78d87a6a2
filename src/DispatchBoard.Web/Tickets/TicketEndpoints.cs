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

/// <summary>A new report, as POST /api/tickets answers it.</summary>
/// <param name="TrackingCode">The reporter's key to follow the report (GET /api/tickets/track/{trackingCode}).</param>
/// <param name="TrackingUrl">The tracking page for people.</param>
/// <param name="PhotosNotKept">Why some or all photos were not kept, when a quota left them out.</param>
public sealed record ReportReceipt(int Id, string TrackingCode, TicketStatus Status, string TrackingUrl, string? PhotosNotKept);

/// <summary>The ticket's status after the reporter's answer to a fix (confirmed: Closed; reopened: New).</summary>
public sealed record ReporterAnswerResult(TicketStatus Status);

public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        // The server stops reading an anonymous body past the cap (ReadJsonAsync refuses it too, on any server).
        var anonymous = app.MapGroup("/api/tickets").AllowAnonymous().WithTags("Intake")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ApiResults.MaxJsonBytes));
        anonymous.MapPost("/", ReportAsync).DisableAntiforgery()
            .WithSummary("Report a problem")
            .WithDescription("Area by its code (GET /api/areas), category by its name, a description; urgent, name, contact (an e-mail address "
                + "gets the report's steps by e-mail) and location detail are optional. Photos come with the report form, not here. "
                + "Anonymous reports are limited per client address (429 with Retry-After).")
            .AcceptsJson<ReportTicketRequest>().Returns<ReportReceipt>(StatusCodes.Status201Created).Refuses(StatusCodes.Status429TooManyRequests);
        anonymous.MapGet("/track/{trackingCode}", TrackAsync)
            .WithSummary("Track a report by its tracking code")
            .WithDescription("What the reporter sees: the state, the public timeline and the report's photos; no names or contacts. "
                + "Wrong codes count towards a per-address limit (429).")
            .Returns<TrackingView>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        anonymous.MapPost("/track/{trackingCode}/confirm", ConfirmAsync).DisableAntiforgery()
            .WithSummary("Confirm the fix (the reporter)")
            .WithDescription("A resolved report closes with the reporter's rating (1–5) and optional comment. Only a resolved report, "
                + "and only its own reporter's code (not a \"me too\" or a merged report's): otherwise 409.")
            .AcceptsJson<ConfirmRequest>().Returns<ReporterAnswerResult>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests);
        anonymous.MapPost("/track/{trackingCode}/reopen", ReopenAsync).DisableAntiforgery()
            .WithSummary("Reopen a report that is not fixed (the reporter)")
            .WithDescription("A resolved report goes back to the queue with the reporter's comment (required) on what is still wrong. "
                + "Only a resolved report, and only its own reporter's code: otherwise 409.")
            .AcceptsJson<ReopenRequest>().Returns<ReporterAnswerResult>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests);

        var staff = app.MapGroup("/api/tickets").RequireAuthorization(Policies.Board).WithTags("Tickets");
        staff.MapGet("/", ListAsync)
            .WithSummary("List tickets")
            .WithDescription("The newest first: all tickets, or only the open ones (open=true); take: 1–500, 100 unless said.")
            .Returns<IReadOnlyList<TicketDto>>().Refuses(StatusCodes.Status400BadRequest);
        staff.MapGet("/{id:int}", GetAsync)
            .WithSummary("Get a ticket with its history and photos")
            .Returns<TicketDetail>().Refuses(StatusCodes.Status404NotFound);
        staff.MapPost("/{id:int}/claim", ClaimAsync)
            .WithSummary("Claim a ticket")
            .WithDescription("A staff member who takes jobs claims a waiting ticket (a dispatcher without a staff record is refused: "
                + "they assign instead). A ticket someone already has is a 409 naming them.")
            .Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        staff.MapPost("/{id:int}/transition", TransitionAsync)
            .WithSummary("Move a ticket to another status")
            .WithDescription("New → Claimed → OnSite → Resolved → Closed; Claimed/OnSite → New (release); Resolved → New (reopen); "
                + "open → Cancelled. A note is required to resolve or cancel. The holder or a dispatcher moves a claimed ticket; only a "
                + "dispatcher cancels, closes or reopens. Escalating is POST /api/tickets/{id}/escalate. A move the status does not "
                + "allow is a 409; one the caller may not make, a 403.")
            .AcceptsJson<TransitionRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        // The dispatcher plans any job, a staff member the jobs they claimed: the service decides.
        staff.MapPut("/{id:int}/plan", PlanAsync)
            .WithSummary("Plan a repair around the lessons")
            .WithDescription("For an open job in a teaching room that may wait (not urgent, not a hazard): the next break, after school, "
                + "or a time today or tomorrow outside lessons and inside working hours. The dispatcher plans any job, a staff member "
                + "the jobs they claimed (else 403).")
            .AcceptsJson<PlanRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        staff.MapDelete("/{id:int}/plan", ClearPlanAsync)
            .WithSummary("Clear a ticket's plan")
            .WithDescription("The dispatcher, or the staff member who claimed the job (else 403). A ticket with no plan is a 409.")
            .Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        app.MapPost("/api/tickets/{id:int}/assign", AssignAsync).RequireAuthorization(Policies.Dispatch).WithTags("Tickets")
            .WithSummary("Assign a ticket to a staff member")
            .WithDescription("The open ticket becomes Claimed by them (reassigned if someone else had it). An unknown or inactive staff "
                + "member is a 400; an escalated, closed or already-theirs ticket a 409.")
            .AcceptsJson<AssignRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        app.MapTriageEndpoints();
        // Helpers: the lead or a dispatcher adds and removes them, a helper marks their own part done; the service decides.
        staff.MapPost("/{id:int}/helpers", AddHelperAsync)
            .WithSummary("Add a helper to a job")
            .WithDescription("The lead (who holds the ticket) or a dispatcher adds an active colleague to an open, claimed job (else 403/409).")
            .AcceptsJson<HelperRequest>().Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        staff.MapDelete("/{id:int}/helpers/{staffId:int}", RemoveHelperAsync)
            .WithSummary("Remove a helper from a job")
            .WithDescription("The lead or a dispatcher (else 403); someone who is not helping is a 409.")
            .Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        staff.MapPost("/{id:int}/helpers/me/done", HelperDoneAsync)
            .WithSummary("Mark my part of a job done (a helper)")
            .WithDescription("Only a helper of the job (else 403); the lead still resolves it. Marked twice is a 409.")
            .Returns<TicketDto>().Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
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
            new ReportReceipt(created.Id, created.TrackingCode, created.Status, $"/track/{created.TrackingCode}", created.PhotosNotKept)));
    }

    private static async Task<IResult> ConfirmAsync(string trackingCode, HttpContext http, TicketIntake intake, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<ConfirmRequest>(http);
        return error ?? ApiResults.From(await intake.ConfirmAsync(trackingCode, body!.Rating, body.Comment, ClientNetwork.AddressOf(http), ct),
            _ => TypedResults.Ok(new ReporterAnswerResult(TicketStatus.Closed)));
    }

    private static async Task<IResult> ReopenAsync(string trackingCode, HttpContext http, TicketIntake intake, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<ReopenRequest>(http);
        return error ?? ApiResults.From(await intake.ReopenAsync(trackingCode, body!.Comment, ClientNetwork.AddressOf(http), ct),
            _ => TypedResults.Ok(new ReporterAnswerResult(TicketStatus.New)));
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
