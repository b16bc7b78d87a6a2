using DispatchBoard.Testing;
using DispatchBoard.Web;
using DispatchBoard.Web.Photos;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Photos:* quotas: per report, per client network a day (IPv6 by /64; staff not counted) and for the disk. Over a
/// quota the report is still stored and the reporter is told why its photos were not kept.
/// </summary>
public sealed class PhotoQuotaTests : IAsyncLifetime
{
    private TestData _data = default!;
    private TicketIntake Intake => _data.Get<TicketIntake>();
    private TicketChanges Changes => _data.Get<TicketChanges>();
    private PhotoStore Store => _data.Get<PhotoStore>();
    private string PhotoFolder => Path.Combine(_data.Directory, "photos");

    public async Task InitializeAsync() => _data = await TestData.CreateAsync(settings: new Dictionary<string, string?>
    {
        ["Photos:MaxPerNetworkPerDay"] = "2",
        ["Photos:MaxTotalMegabytes"] = "1",
    });

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private static PhotoUpload Photo(int i) => new($"IMG_{i}.jpg", TestImages.Jpeg(64, 48));

    private static ReportTicket Report(params PhotoUpload[] photos) =>
        new("A204", "Lighting", "Light cord is frayed", false, null, null, Photos: photos);

    private Task<int> PhotosOfAsync(int ticketId) => _data.QueryAsync(db => db.Photos.CountAsync(p => p.TicketId == ticketId));

    [Fact]
    public async Task MoreThanThreeWithOneReport_TheFirstThreeAreKept_AndTheReporterIsTold()
    {
        var office = await _data.ActorAsync("dispatcher");

        var result = await Intake.ReportAsync(Report(Photo(1), Photo(2), Photo(3), Photo(4)), TicketChannel.Phone, office);

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal(3, await PhotosOfAsync(result.Value!.Id));
        Assert.Contains("at most 3 photos go with one report (1 left out)", result.Value.PhotosNotKept);
    }

    [Fact]
    public async Task ANetworksDayQuota_CountsTheWholeIpv6Slash64_KeepsTheReport_AndFreesUpAfter24Hours()
    {
        var first = await Intake.ReportAsync(Report(Photo(1), Photo(2)), TicketChannel.Web, null, "2001:db8:1:2::10");
        var sameNetwork = await Intake.ReportAsync(Report(Photo(3)), TicketChannel.Web, null, "2001:db8:1:2:ffff:1:2:3");
        var otherNetwork = await Intake.ReportAsync(Report(Photo(4)), TicketChannel.Web, null, "2001:db8:1:3::10");
        var staff = await Intake.ReportAsync(Report(Photo(5)), TicketChannel.Web, await _data.ActorAsync("staff1"), "2001:db8:1:2::10");
        _data.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var nextDay = await Intake.ReportAsync(Report(Photo(6)), TicketChannel.Web, null, "2001:db8:1:2::99");

        Assert.True(first.IsOk && first.Value!.PhotosNotKept is null, first.Describe());
        Assert.Equal(2, await PhotosOfAsync(first.Value!.Id));
        Assert.True(sameNetwork.IsOk, sameNetwork.Describe());
        Assert.Equal(0, await PhotosOfAsync(sameNetwork.Value!.Id));
        Assert.Contains("your network has sent the most photos we keep in a day (2)", sameNetwork.Value.PhotosNotKept);
        Assert.NotNull(await _data.QueryAsync(db => db.Tickets.FirstOrDefaultAsync(t => t.Id == sameNetwork.Value.Id)));
        Assert.Equal(1, await PhotosOfAsync(otherNetwork.Value!.Id));
        Assert.Equal(1, await PhotosOfAsync(staff.Value!.Id));
        Assert.Equal(1, await PhotosOfAsync(nextDay.Value!.Id));
        Assert.Equal(["2001:db8:1:2::/64", "2001:db8:1:2::/64"],
            await _data.QueryAsync(db => db.Photos.Where(p => p.TicketId == first.Value.Id).Select(p => p.ClientNetwork).ToListAsync()));
    }

    [Fact]
    public async Task TheDiskFull_TheReportIsKeptWithoutPhotos_AndStaffAreAskedToResolveWithoutThem()
    {
        var month = Path.Combine(PhotoFolder, "2026-10");
        Directory.CreateDirectory(month);
        await File.WriteAllBytesAsync(Path.Combine(month, "earlier.jpg"), new byte[1024 * 1024]);

        var report = await Intake.ReportAsync(Report(Photo(1)), TicketChannel.Web, null, "203.0.113.7");
        var wang = await _data.ActorAsync("staff1");
        await Changes.ClaimAsync(report.Value!.Id, wang);
        await Changes.MoveAsync(report.Value.Id, TicketStatus.OnSite, null, wang);
        var resolve = await Changes.MoveAsync(report.Value.Id, TicketStatus.Resolved, "New cord", wang, photos: [Photo(2)]);

        Assert.True(report.IsOk, report.Describe());
        Assert.Contains("the photo storage is full", report.Value.PhotosNotKept);
        Assert.Equal(0, await PhotosOfAsync(report.Value.Id));
        Assert.Equal(ResultKind.Invalid, resolve.Kind);
        Assert.Contains("the photo storage is full", resolve.Errors["photos"][0]);
        Assert.Equal(TicketStatus.OnSite, (await _data.Get<TicketQueries>().GetDetailAsync(report.Value.Id))!.Ticket.Status);
        Assert.Single(Directory.GetFiles(PhotoFolder, "*", SearchOption.AllDirectories));
        Assert.Equal(1024 * 1024, Store.TotalBytes);
    }
}
