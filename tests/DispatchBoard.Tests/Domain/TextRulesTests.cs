using DispatchBoard.Web;

namespace DispatchBoard.Tests.Domain;

/// <summary>Text the app stores is text on every database: no null characters, no half of an emoji.</summary>
public sealed class TextRulesTests
{
    [Theory]
    [InlineData("Broken\0light")]
    [InlineData("\0")]
    public void AFieldWithANullCharacter_IsRefusedNamingTheField(string value)
    {
        var errors = new ValidationErrors();

        errors.Text("description", "Description", value, 2000, required: true);

        Assert.True(errors.Any);
        Assert.Contains("null character", Assert.Single(errors.ToDictionary()["description"]));
    }

    [Fact]
    public void AFieldWithoutOne_IsAccepted()
    {
        var errors = new ValidationErrors();

        Assert.Equal("Broken light 💡", errors.Text("description", "Description", " Broken light 💡 ", 2000, required: true));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("ab💡cd", 3, "ab")]
    [InlineData("ab💡cd", 4, "ab💡")]
    [InlineData("abc", 5, "abc")]
    [InlineData("💡💡", 1, "")]
    public void Head_NeverEndsInHalfACharacter(string text, int max, string expected)
    {
        var head = TextCut.Head(text, max);

        Assert.Equal(expected, head);
        Assert.False(head.Length > 0 && char.IsHighSurrogate(head[^1]));
    }
}
