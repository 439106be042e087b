namespace Plue.Customizations;

/// <summary>How a layout's files lie under its root.</summary>
public enum LayoutShape
{
    /// <summary>One file at the path.</summary>
    OneFile,
    /// <summary>The files directly in the folder at the path whose names end with the layout's suffix.</summary>
    Folder,
    /// <summary>A file at the path, or a folder there of files with the suffix (Cline's <c>.clinerules</c>).</summary>
    FileOrFolder,
    /// <summary><c>&lt;path&gt;/&lt;name&gt;/SKILL.md</c>: one folder per skill.</summary>
    SkillFolders,
    /// <summary>The file named at the root and in the folders below it (the nearest one applies to the files there).</summary>
    Nested,
}
