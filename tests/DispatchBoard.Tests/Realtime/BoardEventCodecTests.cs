using System.Reflection;
using System.Text.Json;
using DispatchBoard.Web.Realtime;

namespace DispatchBoard.Tests.Realtime;

/// <summary>Every board event crosses between instances whole: encoded, decoded, and nothing lost or defaulted.</summary>
public sealed class BoardEventCodecTests
{
    private static readonly List<string> Names = [.. typeof(BoardEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(BoardEvent)) && !t.IsAbstract && t.IsPublic)
        .Select(t => t.Name)];

    public static TheoryData<string> EventTypes() => [.. Names];

    [Fact]
    public void TheEventsThatTravel_IncludeEveryPublicBoardEvent_NotificationAddedAndAccessChangedToo()
    {
        var names = Names;

        Assert.Contains(nameof(NotificationAdded), names);
        Assert.Contains(nameof(Web.Auth.AccessChanged), names);
        Assert.Contains(nameof(Resync), names);
        Assert.All(names, n => Assert.True(BoardEventCodec.Types.ContainsKey(n), n));
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void AnEvent_RoundTrips_WithEveryValue(string name)
    {
        var type = BoardEventCodec.Types[name];
        var original = (BoardEvent)Sample(type, depth: 0)!;

        var decoded = BoardEventCodec.Decode(BoardEventCodec.Encode(original, "instance-a"));

        Assert.NotNull(decoded);
        Assert.Equal("instance-a", decoded.Value.Origin);
        Assert.IsType(type, decoded.Value.Event);
        // Records holding lists do not compare by value: compare what they say, field by field, as JSON.
        Assert.Equal(JsonSerializer.Serialize(original, type), JsonSerializer.Serialize(decoded.Value.Event, type));
    }

    [Fact]
    public void AMessageOfAnEventThisVersionDoesNotKnow_IsSkipped()
    {
        Assert.Null(BoardEventCodec.Decode("""{"type":"SomethingNewer","origin":"b","event":{}}"""));
    }

    /// <summary>A value of the type with nothing left at its default, so a field that fails to travel shows.</summary>
    private static object? Sample(Type type, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return $"text-{depth}";
        if (underlying == typeof(int)) return 7 + depth;
        if (underlying == typeof(long)) return 7_000_000_000L;
        if (underlying == typeof(bool)) return true;
        if (underlying == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(8));
        if (underlying == typeof(DateOnly)) return new DateOnly(2026, 3, 2);
        if (underlying == typeof(TimeOnly)) return new TimeOnly(8, 30);
        if (underlying == typeof(TimeSpan)) return TimeSpan.FromMinutes(90);
        if (underlying == typeof(Guid)) return Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        if (underlying.IsEnum) return Enum.GetValues(underlying).GetValue(Enum.GetValues(underlying).Length - 1);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() is var generic
            && (generic == typeof(IReadOnlyList<>) || generic == typeof(List<>) || generic == typeof(IReadOnlyCollection<>) || generic == typeof(IEnumerable<>)))
        {
            var element = underlying.GetGenericArguments()[0];
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Sample(element, depth + 1));
            return list;
        }
        var constructor = underlying.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"No sample for {underlying}");
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Sample(p.ParameterType, depth + 1))]);
    }
}
