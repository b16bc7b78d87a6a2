using System.Net.Http.Json;
using System.Text.Json;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Integration;

/// <summary>The roster sweep in the running app: a standby slot that has begun puts its person on duty, live and over the API.</summary>
public sealed class RosterJobTests(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    [Fact]
    public async Task TheRosterSweep_PutsAPersonWhoseStandbyHasBegunOnDuty_SeenByTheBoardAndThePage()
    {
        var clock = factory.Services.GetRequiredService<SchoolClock>();
        var dispatcher = await factory.SignedInAsync("dispatcher");
        Assert.False(await OnDutyAsync(dispatcher, "Liu Yang"));
        Actor admin;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync($"admin@{DemoSeed.Domain}"))!;
            admin = new Actor(user.Id, user.DisplayName, CanDispatch: true, IsAdmin: true);
        }
        var liu = (await dispatcher.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "Liu Yang").GetProperty("id").GetInt32();
        // A two-hour slot that began a minute ago (the suite runs on the real clock; the school never closes).
        var began = clock.ToLocal(clock.UtcNow.AddMinutes(-1));
        var start = new TimeOnly(began.Hour, began.Minute);
        var added = await factory.Services.GetRequiredService<RosterService>().AddSlotAsync(new RosterSlotInput(liu, began.DayOfWeek,
            start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            start.AddHours(2).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), RosterKind.Standby), admin);
        Assert.True(added.IsOk, added.Describe());
        var published = new TaskCompletionSource<StaffDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = factory.Services.GetRequiredService<DispatchNotifier>()
            .Subscribe(e => { if (e is StaffChanged { Staff.Id: var id } s && id == liu) { published.TrySetResult(s.Staff); } });

        var switched = await factory.Services.GetRequiredService<RosterSweep>().RunAsync(CancellationToken.None);

        Assert.Equal(1, switched);
        var live = await published.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(live.OnDuty);
        Assert.StartsWith("the roster: ", live.DutyChangedBy);
        Assert.True(await OnDutyAsync(dispatcher, "Liu Yang"));
        Assert.Equal(0, await factory.Services.GetRequiredService<RosterSweep>().RunAsync(CancellationToken.None));
        // The page loads its snapshot live, on the circuit (bUnit and E2E see it there); here, what it will show.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await dispatcher.GetAsync("/admin/roster")).StatusCode);
        Assert.Contains("Liu Yang", (await factory.Services.GetRequiredService<RosterService>().WeekAsync(clock.LocalDate(clock.UtcNow))).StandbyNow);
    }

    private static async Task<bool> OnDutyAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("onDuty").GetBoolean();
}
