using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DispatchBoard.Web.Data;

public sealed class UtcMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
