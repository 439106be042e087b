using Plue.ContractGen;
using Plue.ContractGen.Model;

namespace Plue.Tests.Protocol;

/// <summary>The generator on shapes the contract does not have yet: a polymorphic hierarchy and an enum with renamed values.</summary>
public sealed class TypeWalkerTests
{
    private static string Generate()
    {
        var docs = new XmlDocs(typeof(Plue.Protocol.Contract).Assembly, _ => null);
        var walker = new TypeWalker(SampleJsonContext.Default.Options, docs);
        walker.Visit(typeof(ShapeSample), TypeWalker.Use.SidecarWrites);
        return TypeScriptWriter.Write(new WireContract([], walker.Types(), []));
    }

    [Fact]
    public void Write_PolymorphicType_IsADiscriminatedUnion()
    {
        var ts = Generate();

        Assert.Contains("export type ShapeSample = CircleSample | SquareSample;", ts);
        Assert.Contains("export interface CircleSample {\n\tkind: 'circle';\n\tid: string;\n\tradius: number;\n}", ts);
        Assert.Contains("export interface SquareSample {\n\tkind: 'square';\n\tid: string;\n\tcolor: ColorSample;\n\tprice: number | null;\n\tlabel?: string;\n}", ts);
    }

    [Fact]
    public void Write_Enum_IsAUnionOfItsSerializedStrings()
    {
        Assert.Contains("export type ColorSample = 'Red' | 'dark_blue';", Generate());
    }
}
