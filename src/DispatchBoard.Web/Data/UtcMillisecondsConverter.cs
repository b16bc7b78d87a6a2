using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DispatchBoard.Web.Data;

public sealed class UtcMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));

/// <summary>A duration as whole milliseconds, so SQL can bucket and compare it like the instants.</summary>
public sealed class MillisecondsConverter() : ValueConverter<TimeSpan, long>(
    v => (long)v.TotalMilliseconds,
    v => TimeSpan.FromMilliseconds(v));
