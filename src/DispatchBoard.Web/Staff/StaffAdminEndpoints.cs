using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Hosting;
using static DispatchBoard.Web.Staff.StaffText;

namespace DispatchBoard.Web.Staff;

public sealed record ActiveRequest(bool? Active);

public sealed record RolesRequest(IReadOnlyList<string>? Roles);

public static class StaffAdminEndpoints
{
    public static IEndpointRouteBuilder MapStaffAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/users").RequireAuthorization(Policies.Admin).WithTags("Admin");
        admin.MapGet("/", async (StaffAdminService accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListAsync(ct)));
        admin.MapPost("/", async (HttpContext http, StaffAdminService accounts, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<NewAccount>(http);
            return error ?? ApiResults.From(await accounts.CreateAsync(body!, Actor.From(http)!, ct),
                a => TypedResults.Created($"/api/admin/users/{a.UserId}", a));
        });
        admin.MapPost("/{userId}/active", async (string userId, HttpContext http, StaffAdminService accounts, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<ActiveRequest>(http);
            if (error is not null)
            {
                return error;
            }
            return body!.Active is { } active
                ? ApiResults.From(await accounts.SetActiveAsync(userId, active, Actor.From(http)!, ct), TypedResults.Ok)
                : ApiResults.Invalid("active", L["Say { \"active\": true } or false."]);
        });
        admin.MapPut("/{userId}/roles", async (string userId, HttpContext http, StaffAdminService accounts, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<RolesRequest>(http);
            return error ?? ApiResults.From(await accounts.SetRolesAsync(userId, body!.Roles, Actor.From(http)!, ct), TypedResults.Ok);
        });
        return app;
    }
}
