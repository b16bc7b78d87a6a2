using System.Text.RegularExpressions;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Domain;

public partial class TrackingCodeTests
{
    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{10}$")]
    private static partial Regex CrockfordTen();

    [Fact]
    public void New_IsTenCrockfordBase32Characters()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.Matches(CrockfordTen(), TrackingCode.New());
        }
    }

    [Fact]
    public void New_HundredThousandCodes_AreAllDifferent_AndUseTheWholeAlphabet()
    {
        var codes = Enumerable.Range(0, 100_000).Select(_ => TrackingCode.New()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal(32, codes.SelectMany(c => c).Distinct().Count());
    }

    [Theory]
    [InlineData("7kq2m-9xprt", "7KQ2M9XPRT")]
    [InlineData(" 7KQ2M 9XPRT ", "7KQ2M9XPRT")]
    [InlineData("OIL2M9XPRT", "0112M9XPRT")]
    public void Normalize_ReadsCodesTheWayPeopleTypeThem(string typed, string expected)
    {
        Assert.Equal(expected, TrackingCode.Normalize(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7KQ2M9XPR")]
    [InlineData("7KQ2M9XPRTX")]
    [InlineData("7KQ2M9XPRU")]
    [InlineData("../../etc")]
    public void Normalize_RejectsWhatCannotBeACode(string? typed)
    {
        Assert.Null(TrackingCode.Normalize(typed));
    }

    [Fact]
    public void Display_GroupsForReadingAloud()
    {
        Assert.Equal("7KQ2M-9XPRT", TrackingCode.Display("7KQ2M9XPRT"));
    }
}
