using Spectre.Console;

namespace Plue.Cli;

/// <summary>A table: Spectre's on a terminal, tab-separated rows under a header line when piped, for cut and awk.</summary>
internal sealed class CliTable(params string[] columns)
{
    private readonly List<string[]> _rows = [];

    public CliTable AddRow(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public void Write(CliTerminal terminal)
    {
        if (!terminal.Interactive)
        {
            terminal.Out.WriteLine(string.Join('\t', columns));
            foreach (var row in _rows) terminal.Out.WriteLine(string.Join('\t', row.Select(c => c.Replace('\t', ' ').Replace('\n', ' '))));
            return;
        }
        var table = new Table().Border(TableBorder.Simple);
        foreach (var c in columns) table.AddColumn(new TableColumn(new Text(c, new Style(decoration: Decoration.Bold))));
        foreach (var row in _rows) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        terminal.Ansi.Write(table);
    }
}
