using Plue.Context;

namespace Plue.Tests.Context;

/// <summary>@url's HTML reduced to what a reader sees: the text, in blocks, without code, styles, comments or markup.</summary>
public sealed class PageTextTests
{
    [Fact]
    public void FromHtml_DropsScriptsStylesAndComments_AnyCase_AcrossLines()
    {
        var html = "<HTML><Head><TITLE>t</TITLE></Head><body><SCRIPT type=\"module\">\nconst leaked = '</p>';\n</SCRIPT>"
            + "<style media=\"all\">p{}</style><noscript>enable js</noscript><!-- a\ncomment -->Kept</body></HTML>";

        Assert.Equal("Kept", PageText.FromHtml(html));
    }

    [Fact]
    public void FromHtml_DecodesEntities_CollapsesSpaces_AndKeepsBlocksAsLines()
    {
        var html = "<h1>Fish &amp;&#160;chips</h1>\n\n\n\n<p>It&#39;s   <em>very</em>\t&lt;good&gt;</p><br><div>Last<span>word</span></div>";

        Assert.Equal("Fish & chips\n\nIt's very <good>\n\nLast word", PageText.FromHtml(html));
    }

    [Fact]
    public void FromHtml_NoText_IsEmpty() => Assert.Equal("", PageText.FromHtml("<html><body><script>x()</script>  <img src=a.png></body></html>"));
}
