namespace DispatchBoard.Web.Calendar;

/// <summary>A term of the school year; its dates place the planning meetings before and after it starts.</summary>
public sealed class Semester
{
    public const int NameMaxLength = 100;

    public int Id { get; set; }
    public required string Name { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
}
