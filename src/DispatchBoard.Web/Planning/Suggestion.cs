namespace DispatchBoard.Web.Planning;

public enum SuggestionStatus
{
    Submitted,
    UnderReview,
    Accepted,
    Declined,
}

/// <summary>A staff member's suggestion to the principal, with the principal's reply.</summary>
public sealed class Suggestion
{
    public const int TitleMaxLength = 150;
    public const int BodyMaxLength = 4000;
    public const int ReplyMaxLength = 2000;
    public const decimal MaxCost = 10_000_000m;

    public int Id { get; set; }
    public required string AuthorUserId { get; set; }
    public required string AuthorName { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public PlanCategory Category { get; set; }
    public decimal? CostEstimate { get; set; }
    public SuggestionStatus Status { get; set; }
    public string? Reply { get; set; }
    public string? RepliedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}
