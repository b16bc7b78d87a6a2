using System.Globalization;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Languages;

/// <summary>
/// The language to write to each person in: the one on their account (<c>/account</c>, or the header's switch while
/// signed in), else the school's (<c>School:DefaultCulture</c>). Alerts, push messages, reminder e-mails and calendar
/// entries are written in it, whoever caused them.
/// </summary>
public sealed class RecipientLanguages(IOptions<SchoolOptions> school)
{
    /// <summary>The school's language: for people who have not chosen one.</summary>
    public CultureInfo School => SchoolLanguage.Of(school.Value);

    /// <summary>Each of <paramref name="userIds"/>' language, in one query.</summary>
    public async Task<IReadOnlyDictionary<string, CultureInfo>> OfAsync(DispatchDbContext db, IEnumerable<string> userIds, CancellationToken ct)
    {
        var ids = userIds.Distinct().ToList();
        var chosen = ids.Count == 0 ? [] : await db.Users.AsNoTracking()
            .Where(u => EF.Parameter(ids).Contains(u.Id) && u.Culture != null)
            .Select(u => new { u.Id, u.Culture })
            .ToListAsync(ct);
        var found = chosen.ToDictionary(u => u.Id, u => AppLanguages.Find(u.Culture));
        return ids.ToDictionary(id => id, id => found.GetValueOrDefault(id) ?? School);
    }

    /// <summary>The language of a person whose account's <paramref name="culture"/> is already at hand.</summary>
    public CultureInfo Of(string? culture) => AppLanguages.Find(culture) ?? School;
}
