using DispatchBoard.Web.Areas;
using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Microsoft.AspNetCore.Identity;
using DispatchBoard.Web.Escalations;
using DispatchBoard.Web.Hosting;
using DispatchBoard.Web.Inspections;
using DispatchBoard.Web.Planning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DispatchBoard.Web.Languages;
using static DispatchBoard.Web.Data.DemoText;

namespace DispatchBoard.Web.Data;

/// <summary>A plausible school for demos and tests: its campus, its people and a morning's tickets. Runs on an empty database only.</summary>
public sealed class DemoSeed(
    IDbContextFactory<DispatchDbContext> dbFactory,
    UserManager<AppUser> users,
    AreaDirectory areas,
    TimeProvider time,
    SchoolClock clock,
    IOptions<DispatchOptions> dispatch,
    ResponseClocks responseClocks,
    IOptions<DemoOptions> demo,
    ILogger<DemoSeed> logger)
{
    private ResponseClock _responseClock = default!;

    public const string Domain = "demo.example";

    public static readonly (string Email, string Name, string Role, string? Phone)[] People =
    [
        ($"admin@{Domain}", "Alex Morgan", Roles.Admin, null),
        ($"dispatcher@{Domain}", "Zhou Min", Roles.Dispatcher, null),
        ($"principal@{Domain}", "Dr. Chen Hua", Roles.Principal, null),
        ($"staff1@{Domain}", "Wang Lei", Roles.Staff, "138 0000 0001"),
        ($"staff2@{Domain}", "Li Na", Roles.Staff, "138 0000 0002"),
        ($"staff3@{Domain}", "Zhang Wei", Roles.Staff, "138 0000 0003"),
        ($"staff4@{Domain}", "Liu Yang", Roles.Staff, "138 0000 0004"),
    ];

    public async Task SeedAsync(string password, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Areas.AnyAsync(ct) || await db.Users.AnyAsync(ct))
        {
            return;
        }
        var now = time.GetUtcNow();
        _responseClock = await responseClocks.NowAsync(ct);
        // The demo school's names in Demo:Culture (教学楼A, 王磊 …), the same codes and addresses in every language.
        // Set for this method and what it calls (the culture flows across its awaits and is restored when it returns).
        var language = AppLanguages.Find(demo.Value.Culture) ?? System.Globalization.CultureInfo.InvariantCulture;
        System.Globalization.CultureInfo.CurrentCulture = language;
        System.Globalization.CultureInfo.CurrentUICulture = language;

        var staffByEmail = new Dictionary<string, StaffMember>();
        foreach (var (email, name, role, phone) in People)
        {
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = PersonName(name) };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Demo:Password was refused for {email}: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            await users.AddToRoleAsync(user, role);
            if (role == Roles.Staff)
            {
                staffByEmail[email] = new StaffMember
                {
                    UserId = user.Id,
                    DisplayName = PersonName(name),
                    Phone = phone,
                    OnDuty = email is $"staff1@{Domain}" or $"staff2@{Domain}" or $"staff3@{Domain}",
                    DutyChangedAt = now.AddHours(-2),
                };
            }
        }
        db.Staff.AddRange(staffByEmail.Values);

        var campus = Area("MAIN", L["Riverside Campus"], AreaLevel.Campus, AreaKind.General, null);
        var all = new List<Area> { campus };
        Area Add(string code, string name, AreaLevel level, AreaKind kind, Area parent, int order = 0)
        {
            var area = Area(code, name, level, kind, parent, order);
            all.Add(area);
            return area;
        }

        foreach (var (building, letter, floors) in new[] { (L["Teaching Building A"], "A", 4), (L["Teaching Building B"], "B", 3) })
        {
            var b = Add($"T{letter}", building, AreaLevel.Building, AreaKind.General, campus, letter == "A" ? 1 : 2);
            for (var f = 1; f <= floors; f++)
            {
                var floor = Add($"{letter}-{f}F", L["Floor {0}", f], AreaLevel.Floor, AreaKind.General, b, f);
                for (var r = 1; r <= 4; r++)
                {
                    var name = (letter, f, r) switch
                    {
                        ("B", 1, 1) => L["Physics Lab"],
                        ("B", 1, 2) => L["Chemistry Lab"],
                        ("B", 2, 1) => L["Music Room"],
                        ("B", 3, 1) => L["Library"],
                        _ => L["Room {0}", $"{f}0{r}"],
                    };
                    // The library is a classroom by kind but no lessons are taught there.
                    Add($"{letter}{f}0{r}", name, AreaLevel.Room, AreaKind.Classroom, floor, r).IsTeachingRoom = name != L["Library"];
                }
                Add($"{letter}-{f}F-WC", L["Toilets, floor {0}", f], AreaLevel.Room, AreaKind.Restroom, floor, 10);
                Add($"{letter}-{f}F-ST", L["Stairwell, floor {0}", f], AreaLevel.Room, AreaKind.Stairwell, floor, 11);
            }
        }
        var office = Add("OFF", L["Office Building"], AreaLevel.Building, AreaKind.Office, campus, 3);
        var officeGround = Add("OFF-1F", L["Floor {0}", 1], AreaLevel.Floor, AreaKind.General, office, 1);
        Add("OFF101", L["Logistics Office"], AreaLevel.Room, AreaKind.Office, officeGround, 1);
        Add("OFF102", L["Principal's Office"], AreaLevel.Room, AreaKind.Office, officeGround, 2);
        Add("OFF103", L["Staff Room"], AreaLevel.Room, AreaKind.Office, officeGround, 3);
        Add("CONF", L["Conference Room"], AreaLevel.Room, AreaKind.ConferenceRoom, officeGround, 4);
        Add("OFF-1F-WC", L["Toilets, floor {0}", 1], AreaLevel.Room, AreaKind.Restroom, officeGround, 10);
        Add("CANT", L["Canteen"], AreaLevel.Building, AreaKind.Canteen, campus, 4);
        Add("GYM", L["Sports Hall"], AreaLevel.Building, AreaKind.Other, campus, 5);
        Add("PLAY", L["Playground"], AreaLevel.Outdoor, AreaKind.Playground, campus, 6);
        Add("FIELD", L["Sports Field"], AreaLevel.Outdoor, AreaKind.Playground, campus, 7);
        Add("GATE", L["Main Gate"], AreaLevel.Outdoor, AreaKind.Other, campus, 8);
        db.Areas.AddRange(all);
        var byCode = all.ToDictionary(a => a.Code);
        var (wang, li, zhang, liu) = (staffByEmail[$"staff1@{Domain}"], staffByEmail[$"staff2@{Domain}"],
            staffByEmail[$"staff3@{Domain}"], staffByEmail[$"staff4@{Domain}"]);
        // Each staff member owns part of the campus and covers for a colleague; rooms inherit from their building.
        void Own(string code, StaffMember owner, StaffMember backup)
        {
            byCode[code].Owner = owner;
            byCode[code].Backup = backup;
        }
        Own("TA", wang, zhang);
        Own("TB", li, liu);
        Own("OFF", zhang, wang);
        Own("CANT", zhang, li);
        Own("A-2F-WC", liu, wang);
        foreach (var outdoor in new[] { "GYM", "PLAY", "FIELD", "GATE" })
        {
            Own(outdoor, liu, li);
        }
        await db.SaveChangesAsync(ct);

        db.Tickets.AddRange(
            Ticket(byCode["A204"], TicketCategory.Lighting, TicketPriority.Normal, L["The lights at the back of the classroom won't turn on."],
                L["Ms. Huang (Grade 8)"], "ext. 204", TicketChannel.Qr, now.AddMinutes(-12), routedTo: wang),
            Ticket(byCode["A-2F-WC"], TicketCategory.Plumbing, TicketPriority.Urgent, L["Water dispenser leaking onto the floor, slippery."],
                L["Tom (student)"], null, TicketChannel.Web, now.AddMinutes(-4), routedTo: wang),
            Ticket(byCode["B201"], TicketCategory.DoorsWindows, TicketPriority.Normal, L["Window sash came off its track, won't close."],
                L["Mr. Xu"], "ext. 311", TicketChannel.Phone, now.AddMinutes(-40), claim: (li, now.AddMinutes(-31))),
            Ticket(byCode["A102"], TicketCategory.Furniture, TicketPriority.Low, L["Broken stool in row 3, a leg is loose."],
                L["Ms. Zhao"], null, TicketChannel.Web, now.AddMinutes(-75), claim: (wang, now.AddMinutes(-60)), onSite: now.AddMinutes(-20)),
            Ticket(byCode["OFF101"], TicketCategory.Lighting, TicketPriority.Normal, L["The light cord of the desk lamp is frayed."],
                L["Zhou Min"], null, TicketChannel.Phone, now.AddMinutes(-150), claim: (zhang, now.AddMinutes(-140)),
                onSite: now.AddMinutes(-125), resolved: (now.AddMinutes(-110), L["Replaced the cord and plug."])));
        var glazier = Ticket(byCode["B202"], TicketCategory.DoorsWindows, TicketPriority.Normal,
            L["Cracked window pane next to the teacher's desk; taped for now."], L["Mr. Xu"], "ext. 311", TicketChannel.Web,
            now.AddMinutes(-95), claim: (li, now.AddMinutes(-80)), onSite: now.AddMinutes(-70));
        glazier.Status = TicketStatus.Escalated;
        glazier.Events.Add(new TicketEvent
        {
            At = now.AddMinutes(-60), Kind = TicketEventKind.EscalatedToPrincipal, FromStatus = TicketStatus.OnSite,
            ToStatus = TicketStatus.Escalated, ActorName = li.DisplayName, ActorUserId = li.UserId, ActorStaffId = li.Id,
            Note = L["Outside contractor: the pane needs a glazier; we have no glass in stock."], Version = ++glazier.Version,
        });
        db.Tickets.Add(glazier);
        db.Escalations.Add(new Escalation
        {
            Ticket = glazier, RaisedById = li.Id, RaisedAt = now.AddMinutes(-60), Reason = EscalationReason.Contractor,
            Note = L["The pane needs a glazier; we have no glass in stock. Quote from Xu's Glass: 380 yuan."],
        });
        await db.SaveChangesAsync(ct);
        AddHistory(db, all.Where(a => a.Level is AreaLevel.Room or AreaLevel.Outdoor).ToList(), [wang, li, zhang, liu], now);
        await AddPastRoundsAsync(db, now, ct);
        await AddPlanAsync(db, [wang, li, zhang, liu], now, ct);
        db.Suggestions.AddRange(
            new Suggestion
            {
                AuthorUserId = li.UserId, AuthorName = li.DisplayName, Title = L["Motion-sensor lights in the stairwells"],
                Body = L["The stairwell lights stay on all night. Sensors would save power and we would change fewer tubes."],
                Category = PlanCategory.Purchasing, CostEstimate = 2400, Status = SuggestionStatus.Submitted, CreatedAt = now.AddDays(-2),
            },
            new Suggestion
            {
                AuthorUserId = wang.UserId, AuthorName = wang.DisplayName, Title = L["A spare-parts shelf in the logistics office"],
                Body = L["Keep bulbs, starters, cords and desk screws at hand so small jobs are fixed on the first visit."],
                Category = PlanCategory.Repairs, CostEstimate = 600, Status = SuggestionStatus.Accepted, Reply = L["Good idea; order the shelf this week."],
                RepliedBy = L["Dr. Chen Hua"], CreatedAt = now.AddDays(-12), UpdatedAt = now.AddDays(-10),
            });
        if (demo.Value.Roster)
        {
            db.RosterSlots.AddRange(DemoRoster(wang, li, zhang, liu));
        }
        await db.SaveChangesAsync(ct);
        areas.Invalidate();
        logger.DemoSchoolSeeded(all.Count, People.Length);
    }

    /// <summary>
    /// Standby through the working day split among the four (mornings and afternoons, two full days each), a make-up
    /// Saturday covered, and an on-call rotation for the evenings and the weekend.
    /// </summary>
    private static IEnumerable<RosterSlot> DemoRoster(StaffMember wang, StaffMember li, StaffMember zhang, StaffMember liu)
    {
        RosterSlot Slot(StaffMember who, DayOfWeek day, string start, string end, RosterKind kind)
        {
            Roster.TryParseTime(start, isEnd: false, out var from);
            Roster.TryParseTime(end, isEnd: true, out var to);
            return new RosterSlot { Staff = who, Day = day, StartMinute = from, EndMinute = to, Kind = kind };
        }
        foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
        {
            yield return Slot(wang, day, "07:30", "12:30", RosterKind.Standby);
            yield return Slot(li, day, "12:30", "17:30", RosterKind.Standby);
            yield return Slot(day is DayOfWeek.Tuesday or DayOfWeek.Thursday ? liu : zhang, day, "07:30", "17:30", RosterKind.Standby);
        }
        yield return Slot(zhang, DayOfWeek.Saturday, "07:30", "17:30", RosterKind.Standby); // acts on make-up Saturdays only
        yield return Slot(wang, DayOfWeek.Monday, "17:30", "07:30", RosterKind.OnCall);
        yield return Slot(li, DayOfWeek.Tuesday, "17:30", "07:30", RosterKind.OnCall);
        yield return Slot(zhang, DayOfWeek.Wednesday, "17:30", "07:30", RosterKind.OnCall);
        yield return Slot(liu, DayOfWeek.Thursday, "17:30", "07:30", RosterKind.OnCall);
        yield return Slot(zhang, DayOfWeek.Friday, "17:30", "07:30", RosterKind.OnCall);
        yield return Slot(liu, DayOfWeek.Saturday, "07:30", "07:30", RosterKind.OnCall);
        yield return Slot(li, DayOfWeek.Sunday, "07:30", "07:30", RosterKind.OnCall);
    }

    /// <summary>Four weeks of finished work, so the reports have something to show.</summary>
    private void AddHistory(DispatchDbContext db, List<Area> places, StaffMember[] staff, DateTimeOffset now)
    {
        var random = new Random(20261126);
        var descriptions = new Dictionary<TicketCategory, string[]>
        {
            [TicketCategory.Lighting] = [L["Tube flickering"], L["Light won't turn on"], L["Light cord frayed"], L["Socket sparks"]],
            [TicketCategory.DoorsWindows] = [L["Window sash off its track"], L["Door handle loose"], L["Lock sticks"]],
            [TicketCategory.Furniture] = [L["Broken stool"], L["Wobbly desk"], L["Chair leg cracked"]],
            [TicketCategory.Plumbing] = [L["Water dispenser leaking"], L["Tap dripping"], L["Toilet keeps running"]],
            [TicketCategory.SafetyHazard] = [L["Loose handrail"], L["Cracked step"]],
            [TicketCategory.Cleaning] = [L["Spill in the corridor"], L["Blocked drain smell"]],
            [TicketCategory.Other] = [L["Noticeboard fell down"], L["Projector screen stuck"]],
        };
        var categories = descriptions.Keys.ToArray();
        for (var i = 0; i < 140; i++)
        {
            var category = categories[random.Next(categories.Length)];
            // Reported in school hours, as most reports are; claimed on the ticket's own time.
            var anyTime = now.AddDays(-2 - random.NextDouble() * 27);
            var inHours = _responseClock.Calendar.AddWorkingTime(anyTime, TimeSpan.FromMinutes(random.Next(240)));
            var reportedAt = inHours < now.AddDays(-1) ? inHours : anyTime;
            var urgent = random.Next(8) == 0;
            var priority = urgent ? TicketPriority.Urgent : TicketPriority.Normal;
            var target = dispatch.Value.ResponseTargets.For(priority);
            var who = staff[random.Next(staff.Length)];
            var claimed = _responseClock.After(priority, category, reportedAt, target * (random.NextDouble() * 1.4));
            var onSite = claimed.AddMinutes(random.Next(3, 20));
            var resolved = onSite.AddMinutes(random.Next(5, 150));
            var list = descriptions[category];
            var ticket = NewTicket(places[random.Next(places.Count)], category, urgent ? TicketPriority.Urgent : TicketPriority.Normal,
                list[random.Next(list.Length)], L["Teacher"], null, random.Next(3) == 0 ? TicketChannel.Qr : TicketChannel.Web, reportedAt,
                (who, claimed), onSite, (resolved, L["Fixed."]));
            ticket.QueuedAt = reportedAt;
            ticket.ResponseDueAt = _responseClock.DueAt(priority, category, reportedAt);
            ticket.RoutedTo = who;
            if (resolved < now.AddDays(-3) || random.Next(2) == 0)
            {
                ticket.Status = TicketStatus.Closed;
                ticket.ClosedAt = resolved.AddHours(random.Next(1, 40));
                ticket.Rating = random.Next(3) == 0 ? null : random.Next(3, 6);
            }
            ticket.ReopenCount = random.Next(20) == 0 ? 1 : 0;
            db.Tickets.Add(ticket);
        }
    }

    /// <summary>
    /// The last three weeks' safety rounds, all done (about one in nine a day late), so the reports and the
    /// rounds page have a history. This week's rounds are the weekly job's to create.
    /// </summary>
    private async Task AddPastRoundsAsync(DispatchDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var random = new Random(20261127);
        var lines = await db.ChecklistItems.Where(i => i.Kind == AreaKind.General).OrderBy(i => i.SortOrder).Select(i => i.Text).ToListAsync(ct);
        areas.Invalidate(); // the campus was written a moment ago
        // The same places and owners the weekly job would use.
        var groups = InspectionService.Groups(await areas.GetAsync(ct));
        var thisMonday = SchoolClock.MondayOf(clock.LocalDate(now));
        for (var week = 3; week >= 1; week--)
        {
            var monday = thisMonday.AddDays(-7 * week);
            var scheduled = clock.At(monday, new TimeOnly(7, 30));
            for (var g = 0; g < groups.Count; g++)
            {
                var (group, owner) = (groups[g], groups[g].EffectiveOwnerId);
                var late = (g + week) % 9 == 0;
                var completed = scheduled.AddHours(late ? 26 + random.Next(6) : 2 + random.NextDouble() * 6);
                var round = new InspectionRound
                {
                    AreaId = group.Id, WeekOf = monday, ScheduledFor = scheduled, DueAt = clock.EndOfDay(scheduled), AssignedToId = owner,
                    CreatedAt = scheduled, CompletedAt = completed,
                };
                var order = 0;
                foreach (var line in lines)
                {
                    round.Items.Add(new InspectionItem
                    {
                        AreaId = group.Id, Text = line, SortOrder = order++, Result = InspectionResult.Ok, CheckedAt = completed, CheckedById = owner,
                    });
                }
                db.InspectionRounds.Add(round);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>This semester's plan: the checklist done before it opened, and the months' work accounts.</summary>
    private static async Task AddPlanAsync(DispatchDbContext db, StaffMember[] staff, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var semester = await db.Semesters.Where(s => s.StartsOn <= today && today <= s.EndsOn).FirstOrDefaultAsync(ct);
        if (semester is null)
        {
            return;
        }
        var order = 0;
        foreach (var (title, category, owner, days) in new[]
                 {
                     (L["Check every classroom light and replace dead tubes"], PlanCategory.Repairs, 0, -10),
                     (L["Repair desks and stools listed last term"], PlanCategory.Furniture, 1, -8),
                     (L["Service the water dispensers and change filters"], PlanCategory.Repairs, 2, -7),
                     (L["Order cleaning supplies for the term"], PlanCategory.Purchasing, 2, -14),
                     (L["Fire extinguishers inspected and tagged"], PlanCategory.Safety, 3, -5),
                 })
        {
            db.PlanItems.Add(new PlanItem
            {
                SemesterId = semester.Id, Phase = PlanPhase.PreStart, Title = title, Category = category, OwnerId = staff[owner].Id,
                DueOn = semester.StartsOn.AddDays(days), Status = PlanStatus.Done, SortOrder = order++, CreatedAt = now.AddDays(-60), DoneAt = now.AddDays(-55),
            });
        }
        var month = new DateOnly(today.Year, today.Month, 1);
        order = 0;
        foreach (var (title, category, owner, status) in new[]
                 {
                     (L["Winter check of heating radiators"], PlanCategory.Repairs, 0, PlanStatus.Done),
                     (L["Replace worn stair nosings in Building A"], PlanCategory.Safety, 3, PlanStatus.Doing),
                     (L["Paint the playground markings"], PlanCategory.Grounds, 3, PlanStatus.ToDo),
                     (L["Prepare the hall for the winter concert"], PlanCategory.Events, 1, PlanStatus.ToDo),
                     (L["Fix the conference room projector mount"], PlanCategory.Repairs, 2, PlanStatus.Done),
                 })
        {
            db.PlanItems.Add(new PlanItem
            {
                SemesterId = semester.Id, Phase = PlanPhase.PostStart, Month = month, Title = title, Category = category, OwnerId = staff[owner].Id,
                DueOn = month.AddMonths(1).AddDays(-3), Status = status, SortOrder = order++, CreatedAt = now.AddDays(-25),
                DoneAt = status == PlanStatus.Done ? now.AddDays(-3) : null,
            });
        }
    }

    private Ticket Ticket(Area area, TicketCategory category, TicketPriority priority, string description, string reporter,
        string? contact, TicketChannel channel, DateTimeOffset reportedAt, (StaffMember Staff, DateTimeOffset At)? claim = null,
        DateTimeOffset? onSite = null, (DateTimeOffset At, string Note)? resolved = null, StaffMember? routedTo = null)
    {
        var ticket = NewTicket(area, category, priority, description, reporter, contact, channel, reportedAt, claim, onSite, resolved);
        ticket.QueuedAt = reportedAt;
        ticket.ResponseDueAt = _responseClock.DueAt(priority, category, reportedAt);
        ticket.RoutedTo = routedTo ?? claim?.Staff;
        return ticket;
    }

    /// <summary>A demo person's name in the seed's language (their e-mail address stays the same).</summary>
    private static string PersonName(string english) => english switch
    {
        "Alex Morgan" => L["Alex Morgan"],
        "Zhou Min" => L["Zhou Min"],
        "Dr. Chen Hua" => L["Dr. Chen Hua"],
        "Wang Lei" => L["Wang Lei"],
        "Li Na" => L["Li Na"],
        "Zhang Wei" => L["Zhang Wei"],
        "Liu Yang" => L["Liu Yang"],
        _ => english,
    };

    private static Area Area(string code, string name, AreaLevel level, AreaKind kind, Area? parent, int order = 0) =>
        new() { Code = code, Name = name, Level = level, Kind = kind, Parent = parent, SortOrder = order };

    private static Ticket NewTicket(Area area, TicketCategory category, TicketPriority priority, string description, string reporter,
        string? contact, TicketChannel channel, DateTimeOffset reportedAt, (StaffMember Staff, DateTimeOffset At)? claim = null,
        DateTimeOffset? onSite = null, (DateTimeOffset At, string Note)? resolved = null)
    {
        var ticket = new Ticket
        {
            TrackingCode = TrackingCode.New(),
            AreaId = area.Id,
            Category = category,
            Priority = priority,
            Description = description,
            ReporterName = reporter,
            ReporterContact = contact,
            Channel = channel,
            Status = TicketStatus.New,
            ReportedAt = reportedAt,
            Version = 1,
        };
        ticket.Events.Add(new TicketEvent { At = reportedAt, Kind = TicketEventKind.Reported, ToStatus = TicketStatus.New, ActorName = reporter, Version = 1 });

        void Step(TicketEventKind kind, TicketStatus to, DateTimeOffset at, StaffMember by, string? note = null)
        {
            ticket.Events.Add(new TicketEvent
            {
                At = at, Kind = kind, FromStatus = ticket.Status, ToStatus = to, ActorName = by.DisplayName,
                ActorUserId = by.UserId, ActorStaffId = by.Id, Note = note, Version = ++ticket.Version,
            });
            ticket.Status = to;
        }

        if (claim is { } c)
        {
            ticket.ClaimedBy = c.Staff;
            ticket.ClaimedAt = c.At;
            Step(TicketEventKind.Claimed, TicketStatus.Claimed, c.At, c.Staff);
        }
        if (onSite is { } o)
        {
            ticket.OnSiteAt = o;
            Step(TicketEventKind.OnSite, TicketStatus.OnSite, o, claim!.Value.Staff);
        }
        if (resolved is { } r)
        {
            ticket.ResolvedAt = r.At;
            ticket.ResolutionNote = r.Note;
            Step(TicketEventKind.Resolved, TicketStatus.Resolved, r.At, claim!.Value.Staff, r.Note);
        }
        return ticket;
    }
}
