using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using static DispatchBoard.Web.Staff.StaffText;

namespace DispatchBoard.Web.Staff;

public sealed record DutyRequest(bool? OnDuty);

public static class StaffEndpoints
{
    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/staff", async (StaffService staff, CancellationToken ct) => TypedResults.Ok(await staff.GetStatusAsync(ct)))
            .RequireAuthorization(Policies.Board).WithTags("Staff")
            .WithSummary("Staff and their duty")
            .WithDescription("Every active staff member who takes jobs: on duty or not and since when, and how many jobs they have in hand.")
            .Returns<IReadOnlyList<StaffStatusDto>>();
        app.MapPost("/api/staff/me/duty", SetDutyAsync).RequireAuthorization(Policies.StaffMember).WithTags("Staff")
            .WithSummary("Go on or off duty")
            .WithDescription("Sets the caller's own duty status; it holds until their next roster change, then the roster leads again. "
                + "Only a staff member who takes jobs has one (otherwise a 403).")
            .AcceptsJson<DutyRequest>().Returns<StaffDto>();
        return app;
    }

    private static async Task<IResult> SetDutyAsync(HttpContext http, StaffService staff, CancellationToken ct)
    {
        var (body, error) = await ApiResults.ReadJsonAsync<DutyRequest>(http);
        if (error is not null)
        {
            return error;
        }
        if (body!.OnDuty is not { } onDuty)
        {
            return ApiResults.Invalid("onDuty", L["Say whether you are on duty: { \"onDuty\": true } or false."]);
        }
        return ApiResults.From(await staff.SetDutyAsync(Actor.From(http.User)!, onDuty, ct), TypedResults.Ok);
    }
}
