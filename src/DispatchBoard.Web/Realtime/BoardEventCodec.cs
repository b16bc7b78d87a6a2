using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DispatchBoard.Web.Realtime;

/// <summary>
/// Board events as they travel between instances: JSON with the event's type name beside it. Every concrete
/// <see cref="BoardEvent"/> of the app is known by its name, so a new event travels without being listed here.
/// </summary>
public static class BoardEventCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Every concrete board event, by the name it travels under.</summary>
    public static FrozenDictionary<string, Type> Types { get; } = typeof(BoardEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(BoardEvent)) && !t.IsAbstract)
        .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static string Encode(BoardEvent boardEvent, string origin) =>
        JsonSerializer.Serialize(new Envelope(boardEvent.GetType().Name, origin, JsonSerializer.SerializeToElement(boardEvent, boardEvent.GetType(), Json)), Json);

    /// <summary>The event and the instance that sent it; null for a message this version does not know (a newer instance's).</summary>
    public static (BoardEvent Event, string Origin)? Decode(string message)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(message, Json);
        return envelope is not null && Types.TryGetValue(envelope.Type, out var type)
            && envelope.Event.Deserialize(type, Json) is BoardEvent boardEvent
            ? (boardEvent, envelope.Origin)
            : null;
    }

    private sealed record Envelope(string Type, string Origin, JsonElement Event);
}
