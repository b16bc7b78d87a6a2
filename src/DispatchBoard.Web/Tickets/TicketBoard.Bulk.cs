namespace DispatchBoard.Web.Tickets;

/// <summary>The dispatcher's bulk selection on the board (issue 12): "Select", tick open cards, then one action for all.</summary>
public sealed partial class TicketBoard
{
    private readonly HashSet<int> _selected = [];
    private bool _selecting;

    private bool MaySelect => _canDispatch && !BigScreen;

    /// <summary>The ticked tickets still open on the board (one that closed meanwhile drops out).</summary>
    private IReadOnlyCollection<int> Selected =>
        TicketSet.All.Where(t => _selected.Contains(t.Id) && t.Status.IsOpen()).Select(t => t.Id).ToList();

    private void ToggleSelecting()
    {
        _selecting = !_selecting;
        _selected.Clear();
    }

    private void Toggle(int ticketId, bool selected)
    {
        if (selected)
        {
            _selected.Add(ticketId);
        }
        else
        {
            _selected.Remove(ticketId);
        }
    }

    private void BulkDone(IReadOnlyList<int> changed) => _selected.ExceptWith(changed);
}
