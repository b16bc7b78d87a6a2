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
        admin.MapGet("/", async (StaffAdminService accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListAsync(ct)))
            .WithSummary("List the accounts")
            .WithDescription("Every account, active ones first, with its roles and whether it has a password yet.")
            .Returns<IReadOnlyList<AccountDto>>();
        admin.MapPost("/", async (HttpContext http, StaffAdminService accounts, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<NewAccount>(http);
            return error ?? ApiResults.From(await accounts.CreateAsync(body!, Actor.From(http)!, ct),
                a => TypedResults.Created($"/api/admin/users/{a.UserId}", a));
        })
            .WithSummary("Create an account")
            .WithDescription("An account with at least one role (Admin, Dispatcher, Staff, Principal); a Staff role also makes it a staff member. "
                + "Without a password the answer carries `firstSignInLink`, with which the person chooses one. An e-mail already in use is a 400.")
            .AcceptsJson<NewAccount>()
            .Returns<AccountDto>(StatusCodes.Status201Created);
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
        })
            .WithSummary("Deactivate or reactivate an account")
            .WithDescription("A deactivated account loses access at once (sessions, push devices, links) and the jobs it held go back to the queue. "
                + "Deactivating yourself or the last active administrator is a 409.")
            .AcceptsJson<ActiveRequest>()
            .Returns<AccountDto>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        admin.MapPut("/{userId}/roles", async (string userId, HttpContext http, StaffAdminService accounts, CancellationToken ct) =>
        {
            var (body, error) = await ApiResults.ReadJsonAsync<RolesRequest>(http);
            return error ?? ApiResults.From(await accounts.SetRolesAsync(userId, body!.Roles, Actor.From(http)!, ct), TypedResults.Ok);
        })
            .WithSummary("Set an account's roles")
            .WithDescription("Replaces the roles (at least one); the person's open sessions take them at once. "
                + "Taking Admin from the last active administrator is a 409; from yourself, a 400.")
            .AcceptsJson<RolesRequest>()
            .Returns<AccountDto>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return app;
    }
}
