using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Displays;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

public sealed class DisplayTests : IAsyncLifetime
{
    private TestData _data = default!;
    private DisplayService _displays = default!;
    private Actor _admin = default!;

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync();
        _displays = _data.Get<DisplayService>();
        _admin = await _data.ActorAsync("admin");
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private async Task<IssuedCode> CreateAsync(string name)
    {
        var created = await _displays.CreateAsync(name, _admin);
        Assert.True(created.IsOk, created.Describe());
        return created.Value!;
    }

    [Fact]
    public async Task PairAsync_TwoScreensEnterTheSameCodeAtOnce_ExactlyOneIsPaired()
    {
        var issued = await CreateAsync("Office TV");

        var results = await Task.WhenAll(
            Task.Run(() => _displays.PairAsync(issued.Code)),
            Task.Run(() => _displays.PairAsync(issued.DisplayCode.ToLowerInvariant())));

        Assert.Single(results, r => r.IsOk);
        var loser = Assert.Single(results, r => !r.IsOk);
        Assert.Equal("This code has already been used: ask the administrator for a new one.", loser.Message);
        Assert.Equal(issued.Display.Id, results.Single(r => r.IsOk).Value!.Id);
        var display = await _data.QueryAsync(db => db.OfficeDisplays.SingleAsync(d => d.Id == issued.Display.Id));
        Assert.NotNull(display.PairedAt);
    }

    [Fact]
    public async Task PairAsync_CodeUsedOnce_IsRefusedTheSecondTime()
    {
        var issued = await CreateAsync("Office TV");
        Assert.True((await _displays.PairAsync(issued.Code)).IsOk);

        var again = await _displays.PairAsync(issued.Code);

        Assert.Equal(ResultKind.Conflict, again.Kind);
        Assert.Contains("already been used", again.Message);
    }

    [Fact]
    public async Task PairAsync_WorksUpToTenMinutes_AndIsRefusedAsExpiredAtTen()
    {
        var early = await CreateAsync("Office TV");
        var late = await CreateAsync("Corridor screen");

        _data.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var inTime = await _displays.PairAsync(early.Code);
        _data.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await _displays.PairAsync(late.Code);

        Assert.True(inTime.IsOk, inTime.Describe());
        Assert.Equal(ResultKind.Conflict, expired.Kind);
        Assert.Equal("This code has expired: ask the administrator for a new one.", expired.Message);
    }

    [Fact]
    public async Task NewCodeAsync_InvalidatesTheOldCode_AndTheNewOneWorks()
    {
        var first = await CreateAsync("Office TV");

        var second = await _displays.NewCodeAsync(first.Display.Id, _admin);
        var old = await _displays.PairAsync(first.Code);
        var fresh = await _displays.PairAsync(second.Value!.Code);

        Assert.NotEqual(first.Code, second.Value.Code);
        Assert.Equal(ResultKind.NotFound, old.Kind);
        Assert.Contains("not right, or it was replaced by a newer one", old.Message);
        Assert.True(fresh.IsOk, fresh.Describe());
    }

    [Fact]
    public async Task NewCodeAsync_ForAPairedDisplay_IsRefused_SoNoSecondScreenSignsInBesideTheFirst()
    {
        var issued = await CreateAsync("Office TV");
        Assert.True((await _displays.PairAsync(issued.Code)).IsOk);

        var again = await _displays.NewCodeAsync(issued.Display.Id, _admin);

        Assert.Equal(ResultKind.Conflict, again.Kind);
        Assert.Equal("This display is paired with a screen. To use another screen, revoke this display and add a new one.", again.Message);
    }

    [Fact]
    public async Task NewCodeAsync_AfterExpiry_GivesTenMoreMinutes()
    {
        var first = await CreateAsync("Office TV");
        _data.Time.Advance(TimeSpan.FromMinutes(30));

        var second = await _displays.NewCodeAsync(first.Display.Id, _admin);
        _data.Time.Advance(TimeSpan.FromMinutes(9));

        Assert.True((await _displays.PairAsync(second.Value!.Code)).IsOk);
    }

    [Theory]
    [InlineData(null, "Name is required.")]
    [InlineData("   ", "Name is required.")]
    public async Task CreateAsync_EmptyName_IsRefusedNamingTheField(string? name, string message)
    {
        var result = await _displays.CreateAsync(name, _admin);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Equal([message], result.Errors["name"]);
    }

    [Fact]
    public async Task CreateAsync_NameOver80Characters_IsRefusedWithTheLimit()
    {
        var result = await _displays.CreateAsync(new string('x', 81), _admin);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.Contains("the limit is 80", result.Errors["name"].Single());
    }

    [Fact]
    public async Task CreateAsync_NameOfADisplayInUse_IsRefusedWhateverTheCase_ButARevokedOnesNameIsFree()
    {
        var first = await CreateAsync("Office TV");

        var duplicate = await _displays.CreateAsync("  office tv ", _admin);
        await _displays.RevokeAsync(first.Display.Id, _admin);
        var afterRevoke = await _displays.CreateAsync("Office TV", _admin);

        Assert.Equal(ResultKind.Invalid, duplicate.Kind);
        Assert.Equal("There is already a display called \"office tv\": choose another name, or revoke that one first.",
            duplicate.Errors["name"].Single());
        Assert.True(afterRevoke.IsOk, afterRevoke.Describe());
    }

    [Fact]
    public async Task CreateNewCodeRevoke_ByANonAdmin_AreRefused()
    {
        var issued = await CreateAsync("Office TV");
        var dispatcher = await _data.ActorAsync("dispatcher");

        Assert.Equal(ResultKind.Forbidden, (await _displays.CreateAsync("Hall TV", dispatcher)).Kind);
        Assert.Equal(ResultKind.Forbidden, (await _displays.NewCodeAsync(issued.Display.Id, dispatcher)).Kind);
        Assert.Equal(ResultKind.Forbidden, (await _displays.RevokeAsync(issued.Display.Id, dispatcher)).Kind);
    }

    [Fact]
    public async Task RevokeAsync_CutsTheDisplayAtOnce_ItsCodeStopsWorking_AndAFreshGuardKnowsItFromTheDatabase()
    {
        var issued = await CreateAsync("Office TV");
        var guard = _data.Get<AccessGuard>();
        var userId = DisplayPrincipal.UserId(issued.Display.Id);
        Assert.True(await guard.IsAllowedAsync(userId));
        var revoked = new List<string>();
        guard.Revoked += revoked.Add;

        var result = await _displays.RevokeAsync(issued.Display.Id, _admin);

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal(DisplayState.Revoked, result.Value!.State);
        Assert.Equal([userId], revoked);
        Assert.False(await guard.IsAllowedAsync(userId));
        Assert.False((await _displays.PairAsync(issued.Code)).IsOk);
        Assert.Equal(ResultKind.Conflict, (await _displays.NewCodeAsync(issued.Display.Id, _admin)).Kind);
        var restarted = new AccessGuard(_data.Get<IDbContextFactory<DispatchDbContext>>(), _data.Get<DispatchBoard.Web.Realtime.DispatchNotifier>());
        Assert.False(await restarted.IsAllowedAsync(userId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ACEF-347")]
    [InlineData("ACEF-3470")]
    [InlineData("OOOO-0000")]
    public async Task PairAsync_SomethingThatCannotBeACode_IsRefusedNamingTheField(string code)
    {
        var result = await _displays.PairAsync(code);

        Assert.Equal(ResultKind.Invalid, result.Kind);
        Assert.True(result.Errors.ContainsKey("code"));
    }

    [Fact]
    public void PairingCode_HasNoLookAlikeCharacters_AndReadsBackTheWayItIsShown()
    {
        var code = PairingCode.New();

        Assert.Equal(PairingCode.Length, code.Length);
        Assert.All(code, c => Assert.DoesNotContain(c, "0ODQ1IL2Z5S8BGUV"));
        Assert.Equal(code, PairingCode.Normalize(PairingCode.Display(code).ToLowerInvariant()));
        Assert.Equal(code, PairingCode.Normalize(" " + code[..4] + " " + code[4..]));
    }

    [Fact]
    public async Task ListAsync_ShowsEachDisplaysState()
    {
        var waiting = await CreateAsync("Waiting TV");
        var paired = await CreateAsync("Paired TV");
        var revoked = await CreateAsync("Revoked TV");
        await _displays.PairAsync(paired.Code);
        await _displays.RevokeAsync(revoked.Display.Id, _admin);

        var list = await _displays.ListAsync();

        Assert.Equal(DisplayState.WaitingForPairing, list.Single(d => d.Id == waiting.Display.Id).State);
        Assert.NotNull(list.Single(d => d.Id == waiting.Display.Id).CodeExpiresAt);
        Assert.Equal(DisplayState.Paired, list.Single(d => d.Id == paired.Display.Id).State);
        Assert.Null(list.Single(d => d.Id == paired.Display.Id).CodeExpiresAt);
        Assert.Equal(DisplayState.Revoked, list.Single(d => d.Id == revoked.Display.Id).State);
        Assert.Equal("Revoked TV", list[^1].Name);
    }
}
