using DispatchBoard.Web.Languages;

namespace DispatchBoard.Web.ReporterMail;

/// <summary>The texts of the e-mails to reporters and their stop page (the composing is <see cref="ReporterMailText"/>).</summary>
public sealed class ReporterMailsText
{
    public static readonly Texts L = new(typeof(ReporterMailsText));
}
