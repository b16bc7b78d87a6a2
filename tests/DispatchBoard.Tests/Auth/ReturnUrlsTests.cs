using DispatchBoard.Web.Auth;

namespace DispatchBoard.Tests.Auth;

public sealed class ReturnUrlsTests
{
    // As the page receives them: the query string is decoded once before the page sees it.
    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/ /evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%5cevil.example")]
    [InlineData("/%2Fevil.example")]
    [InlineData("/%252Fevil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("https://evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData(" /board")]
    [InlineData("/login?returnUrl=/board")]
    [InlineData("")]
    [InlineData(null)]
    public void LocalOrHome_AnAddressThatCouldLeaveTheSite_GoesToTheRolesHome(string? hostile)
    {
        Assert.Equal("/my", ReturnUrls.LocalOrHome(hostile, [Roles.Staff]));
        Assert.Equal("/board", ReturnUrls.LocalOrHome(hostile, [Roles.Dispatcher]));
    }

    [Theory]
    [InlineData("/board")]
    [InlineData("/my?ticket=5")]
    [InlineData("/meetings/3")]
    [InlineData("/track/AB12CD")]
    public void LocalOrHome_ALocalPath_IsKept(string local) =>
        Assert.Equal(local, ReturnUrls.LocalOrHome(local, [Roles.Staff]));

    [Fact]
    public void HomeFor_EachRoleStartsOnItsOwnPage()
    {
        Assert.Equal("/principal", ReturnUrls.HomeFor([Roles.Principal]));
        Assert.Equal("/board", ReturnUrls.HomeFor([Roles.Admin]));
        Assert.Equal("/", ReturnUrls.HomeFor([]));
    }
}
