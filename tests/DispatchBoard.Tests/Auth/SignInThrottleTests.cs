using DispatchBoard.Web.Auth;
using Microsoft.Extensions.Time.Testing;

namespace DispatchBoard.Tests.Auth;

public sealed class SignInThrottleTests
{
    private const string School = "203.0.113.7";

    [Fact]
    public void ThirtyColleaguesSigningInAtOnceFromTheSchoolsAddress_AreAllLetIn()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T07:55:00Z")));

        // All begin before any finishes: the 08:00 rush behind the school's one address.
        var waits = Enumerable.Range(1, 30).Select(i => throttle.TryBegin($"staff{i}@school.example", School)).ToList();

        Assert.All(waits, Assert.Null);
        foreach (var i in Enumerable.Range(1, 30))
        {
            throttle.Succeeded($"staff{i}@school.example", School);
        }
        Assert.Null(throttle.TryBegin("late@school.example", School));
    }

    [Fact]
    public void WrongPasswordsFromOneAddress_StillCount_AfterTheyFinish()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T07:55:00Z")));

        foreach (var i in Enumerable.Range(1, SignInThrottle.FreeFailuresPerAddress))
        {
            Assert.Null(throttle.TryBegin($"guess{i}@school.example", School));
            throttle.Failed($"guess{i}@school.example", School);
        }

        Assert.NotNull(throttle.TryBegin("another@school.example", School));
    }

    [Fact]
    public void ABurstOfGuessesAtOneAccount_IsCountedBeforeTheyFinish()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T07:55:00Z")));

        var waits = Enumerable.Range(1, SignInThrottle.FreeFailuresPerAccount + 1)
            .Select(_ => throttle.TryBegin("head@school.example", School)).ToList();

        Assert.All(waits.Take(SignInThrottle.FreeFailuresPerAccount), Assert.Null);
        Assert.NotNull(waits[^1]);
    }

    [Fact]
    public void ABurstBeyondTheInFlightAllowance_IsCountedBeforeItFinishes()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T07:55:00Z")));
        var allowed = SignInThrottle.InFlightPerAddress + SignInThrottle.FreeFailuresPerAddress;

        var waits = Enumerable.Range(1, allowed + 1).Select(i => throttle.TryBegin($"spray{i}@school.example", School)).ToList();

        Assert.All(waits.Take(allowed), Assert.Null);
        Assert.NotNull(waits[^1]);
    }
}
