namespace DispatchBoard.Tests.Integration.Contract;

// Scratch (the Tickets helper's): writes the document out; deleted before hand-off.
public sealed class ZzScratchTicketsDump(DispatchBoardFactory factory) : IClassFixture<DispatchBoardFactory>
{
    [Fact]
    public async Task Dump()
    {
        using var admin = await factory.SignedInAsync("admin");
        await File.WriteAllTextAsync("/tmp/i16-tickets-openapi.json", await admin.GetStringAsync("/openapi/v1.json"));
    }
}
