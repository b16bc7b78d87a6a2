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
            .RequireAuthorization(Policies.Board).WithTags("Staff");
        app.MapPost("/api/staff/me/duty", SetDutyAsync).RequireAuthorization(Policies.StaffMember).WithTags("Staff");
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
