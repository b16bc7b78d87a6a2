using DispatchBoard.Testing;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Push;
using MudBlazor;

namespace DispatchBoard.Components.Tests;

/// <summary>"Alert me on this device": what the card says for each state of the browser, and a device removed for good.</summary>
public sealed class DeviceAlertsTests : DispatchComponentTest
{
    private static DeviceAlerts.BrowserPushState Browser(string permission, string? endpoint = null, bool supported = true, bool iosNeedsInstall = false) =>
        new(supported, permission, endpoint is not null, endpoint, Standalone: false, iosNeedsInstall);

    [Fact]
    public async Task ThisBrowsersSubscription_ShowsAlertsOn_AndRemovingItForgetsItInTheBrowserToo()
    {
        var me = await SignInAsync("staff1", Roles.Staff);
        using var device = new TestDevice("https://push.example.net/send/this-phone");
        using var other = new TestDevice("https://push.example.net/send/old-tablet");
        var devices = Data.Get<PushDevices>();
        Assert.True((await devices.SubscribeAsync(me.UserId, device.Request("Chrome on Android"))).IsOk);
        Assert.True((await devices.SubscribeAsync(me.UserId, other.Request("Firefox on Android"))).IsOk);
        JSInterop.Setup<DeviceAlerts.BrowserPushState>("dispatchPush.state").SetResult(Browser("granted", device.Endpoint));
        var forget = JSInterop.Setup<string?>("dispatchPush.forgetThisDevice");
        forget.SetResult(device.Endpoint);
        Render<MudSnackbarProvider>();

        var cut = Render<DeviceAlerts>();

        cut.WaitForAssertion(() => Assert.Equal("on", cut.Find("[data-testid='device-alerts']").GetAttribute("data-state")));
        Assert.Equal(2, cut.FindAll("[data-testid='device']").Count);
        var mine = cut.Find("[data-testid='this-device']").Closest("[data-testid='device']")!;
        Assert.Contains("Chrome on Android", mine.TextContent);

        JSInterop.Setup<DeviceAlerts.BrowserPushState>("dispatchPush.state").SetResult(Browser("granted"));
        await mine.QuerySelector("[data-testid='remove-device']")!.ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("off", cut.Find("[data-testid='device-alerts']").GetAttribute("data-state")));
        JSInterop.VerifyInvoke("dispatchPush.forgetThisDevice");
        Assert.Contains("Firefox on Android", Assert.Single(cut.FindAll("[data-testid='device']")).TextContent);
        Assert.Equal(["Firefox on Android"], (await devices.ListAsync(me.UserId)).Select(d => d.Label));
        Assert.False(cut.Find("[data-testid='enable-alerts']").ParentElement!.HasAttribute("hidden"));
    }

    [Theory]
    [InlineData("denied", true, false, "blocked", "Alerts are blocked for this site")]
    [InlineData("default", false, false, "unsupported", "This browser cannot show alerts")]
    [InlineData("default", true, true, "ios-install", "Add to Home Screen")]
    [InlineData("default", true, false, "off", "Your browser will ask for permission")]
    public async Task EachStateOfTheBrowser_SaysWhatToDo_AndOffersTheButtonOnlyWhenItCanWork(
        string permission, bool supported, bool iosNeedsInstall, string state, string says)
    {
        await SignInAsync("staff2", Roles.Staff);
        JSInterop.Setup<DeviceAlerts.BrowserPushState>("dispatchPush.state").SetResult(Browser(permission, supported: supported, iosNeedsInstall: iosNeedsInstall));

        var cut = Render<DeviceAlerts>();

        cut.WaitForAssertion(() => Assert.Equal(state, cut.Find("[data-testid='device-alerts']").GetAttribute("data-state")));
        Assert.Contains(says, cut.Find("[data-testid='device-alerts-text']").TextContent);
        Assert.Equal(state != "off", cut.Find("[data-testid='enable-alerts']").ParentElement!.HasAttribute("hidden"));
    }

    [Fact]
    public async Task WhenTheBrowserScriptIsMissing_TheCardSaysAlertsCannotWorkHere()
    {
        await SignInAsync("staff2", Roles.Staff);
        JSInterop.Setup<DeviceAlerts.BrowserPushState>("dispatchPush.state").SetException(new Microsoft.JSInterop.JSException("dispatchPush is not defined"));

        var cut = Render<DeviceAlerts>();

        cut.WaitForAssertion(() => Assert.Equal("unsupported", cut.Find("[data-testid='device-alerts']").GetAttribute("data-state")));
    }
}
