using DispatchBoard.Web.Push;

namespace DispatchBoard.Tests.Push;

/// <summary>Which push services the server posts to: the browsers' own by default, or the configured list.</summary>
public sealed class PushOptionsTests
{
    [Theory]
    [InlineData("fcm.googleapis.com", true)]
    [InlineData("updates.push.services.mozilla.com", true)]
    [InlineData("web.push.apple.com", true)]
    [InlineData("wns2-db5p.notify.windows.com", true)]
    [InlineData("FCM.GoogleApis.com", true)]
    [InlineData("fcm.googleapis.com.attacker.example", false)]
    [InlineData("evilpush.apple.com.example", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("localhost", false)]
    [InlineData("intranet.school.example", false)]
    public void ByDefault_OnlyTheBrowsersPushServicesAreAllowed(string host, bool allowed) =>
        Assert.Equal(allowed, new PushOptions().AllowsHost(host));

    [Fact]
    public void AConfiguredList_ReplacesTheDefaults_AndAWildcardCoversTheDomainAndItsSubdomains()
    {
        var options = new PushOptions { AllowedHosts = ["127.0.0.1", "*.push.district.example"] };

        Assert.True(options.AllowsHost("127.0.0.1"));
        Assert.True(options.AllowsHost("push.district.example"));
        Assert.True(options.AllowsHost("eu.push.district.example"));
        Assert.False(options.AllowsHost("xpush.district.example"));
        Assert.False(options.AllowsHost("fcm.googleapis.com"));
    }
}
