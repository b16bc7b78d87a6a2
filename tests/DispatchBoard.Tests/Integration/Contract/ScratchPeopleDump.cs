namespace DispatchBoard.Tests.Integration.Contract;

public sealed partial class OpenApiContractTests
{
    [Fact]
    public async Task ScratchPeopleOnly_Walk()
    {
        var log = new ContractLog(await ContractAsync());
        await WalkPeopleAsync(new Walk(factory, log));
        var seen = log.Seen();
        var lines = log.Problems.Where(p => !p.Contains("traceId")).ToList();
        lines.Add("---");
        lines.AddRange(log.Contract.Operations.Select(o => $"{o}: {(seen.TryGetValue(o, out var s) ? string.Join(",", s.Order()) : "-")}"));
        await File.WriteAllLinesAsync("/tmp/i16people-walk.txt", lines);
    }
}
