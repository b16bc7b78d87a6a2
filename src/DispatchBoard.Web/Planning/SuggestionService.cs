using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Realtime;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Planning.PlanningText;

namespace DispatchBoard.Web.Planning;

public sealed record SuggestionInput(string? Title, string? Body, string? Category, decimal? CostEstimate);

public static class SuggestionText
{
    public static string Label(this SuggestionStatus status) => status switch
    {
        SuggestionStatus.Submitted => L["Submitted"],
        SuggestionStatus.UnderReview => L["Under review"],
        SuggestionStatus.Accepted => L["Accepted"],
        _ => L["Declined"],
    };
}

/// <summary>Staff put suggestions to the principal; the principal reviews them and replies, and the author is told.</summary>
public sealed class SuggestionService(IDbContextFactory<DispatchDbContext> dbFactory, NotificationService notifications, DispatchNotifier notifier, SchoolClock clock)
{
    public async Task<ServiceResult<Suggestion>> SubmitAsync(SuggestionInput input, Actor actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var title = errors.Text("title", L["Title"], input.Title, Suggestion.TitleMaxLength, required: true);
        var body = errors.Text("body", L["Suggestion"], input.Body, Suggestion.BodyMaxLength, required: true);
        if (!EnumNames.TryParse<PlanCategory>(input.Category, out var category))
        {
            errors.Add("category", L["Choose a category: one of {0}.", EnumNames.List<PlanCategory>()]);
        }
        if (input.CostEstimate is < 0 or > Suggestion.MaxCost)
        {
            errors.Add("costEstimate", L["The cost estimate must be between 0 and {0:N0}.", Suggestion.MaxCost]);
        }
        if (errors.Any)
        {
            return ServiceResult<Suggestion>.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var suggestion = new Suggestion
        {
            AuthorUserId = actor.UserId, AuthorName = actor.Name, Title = title!, Body = body!, Category = category,
            CostEstimate = input.CostEstimate is { } cost ? decimal.Round(cost, 2) : null, Status = SuggestionStatus.Submitted, CreatedAt = clock.UtcNow,
        };
        db.Suggestions.Add(suggestion);
        await db.SaveChangesAsync(ct);
        var staged = await notifications.StageAsync(db, (await Recipients.InRoleAsync(db, Roles.Principal, ct)).Select(p =>
            new NewNotification(p, NotificationKind.Escalated, ReaderText.Write(() => L["Suggestion from {0}: {1}", actor.Name, suggestion.Title]), null, null, "/principal#suggestions",
                $"suggestion:{suggestion.Id}:{p}")), ct);
        await db.SaveChangesAsync(ct);
        notifications.Announce(staged);
        notifier.Publish(new SuggestionsChanged(suggestion.Id));
        return ServiceResult<Suggestion>.Ok(suggestion);
    }

    /// <summary>The principal moves a suggestion on (under review, accepted, declined) with a reply the author reads.</summary>
    public async Task<ServiceResult<Suggestion>> ReviewAsync(int id, SuggestionStatus status, string? reply, Actor actor, CancellationToken ct = default)
    {
        if (!actor.IsPrincipal)
        {
            return ServiceResult<Suggestion>.Forbidden(L["Only the principal answers suggestions."]);
        }
        var errors = new ValidationErrors();
        if (status == SuggestionStatus.Submitted)
        {
            errors.Add("status", L["Choose under review, accepted or declined."]);
        }
        reply = errors.Text("reply", L["Reply"], reply, Suggestion.ReplyMaxLength, required: status is SuggestionStatus.Accepted or SuggestionStatus.Declined);
        if (errors.Any)
        {
            return ServiceResult<Suggestion>.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var suggestion = await db.Suggestions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (suggestion is null)
        {
            return ServiceResult<Suggestion>.NotFound(L["There is no suggestion #{0}.", id]);
        }
        if (suggestion.Status is SuggestionStatus.Accepted or SuggestionStatus.Declined)
        {
            return ServiceResult<Suggestion>.Conflict(L["This suggestion was already {0}.", suggestion.Status.Label().ToLowerInvariant()]);
        }
        var seen = suggestion.UpdatedAt;
        var now = clock.UtcNow;
        var newReply = reply ?? suggestion.Reply;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Only if nobody answered it since it was read (the principal on a laptop and a phone at once): one answer wins.
        var changed = await db.Suggestions
            .Where(s => s.Id == id && s.UpdatedAt == seen && (s.Status == SuggestionStatus.Submitted || s.Status == SuggestionStatus.UnderReview))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, status).SetProperty(s => s.Reply, newReply)
                .SetProperty(s => s.RepliedBy, actor.Name).SetProperty(s => s.UpdatedAt, now), ct);
        if (changed == 0)
        {
            return ServiceResult<Suggestion>.Conflict(L["This suggestion was answered a moment ago; look at it again."]);
        }
        (suggestion.Status, suggestion.Reply, suggestion.RepliedBy, suggestion.UpdatedAt) = (status, newReply, actor.Name, now);
        var staged = await notifications.StageAsync(db, [new NewNotification(suggestion.AuthorUserId, NotificationKind.Decision,
            ReaderText.Write(() => L["Your suggestion \"{0}\": {1}", suggestion.Title, status.Label().ToLowerInvariant()]), reply, null, "/suggestions",
            $"suggestion-review:{id}:{status}:{now.ToUnixTimeMilliseconds()}")], ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifications.Announce(staged);
        notifier.Publish(new SuggestionsChanged(id));
        return ServiceResult<Suggestion>.Ok(suggestion);
    }

    public async Task<IReadOnlyList<Suggestion>> MineAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Suggestions.AsNoTracking().Where(s => s.AuthorUserId == userId).OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
    }

    /// <summary>For the principal: open ones first (oldest first: they have waited longest), then those answered in the last months, newest first.</summary>
    public async Task<IReadOnlyList<Suggestion>> AllAsync(CancellationToken ct = default)
    {
        var since = clock.UtcNow.AddDays(-120);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Suggestions.AsNoTracking()
            .Where(s => s.Status == SuggestionStatus.Submitted || s.Status == SuggestionStatus.UnderReview || (s.UpdatedAt ?? s.CreatedAt) >= since)
            .ToListAsync(ct);
        var open = rows.Where(s => s.Status is SuggestionStatus.Submitted or SuggestionStatus.UnderReview).OrderBy(s => s.CreatedAt);
        var answered = rows.Where(s => s.Status is SuggestionStatus.Accepted or SuggestionStatus.Declined).OrderByDescending(s => s.UpdatedAt ?? s.CreatedAt);
        return [.. open, .. answered];
    }
}
