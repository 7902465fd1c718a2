using System.Reflection;
using System.Reflection.Emit;

namespace PrecisionMed.Core.Tests.Architecture;

/// <summary>
/// The types a type refers to: its base type and interfaces, its fields, properties and method signatures, and what its
/// method bodies name in IL (types, fields, methods, locals). Generic arguments and array elements count as references.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodeByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static HashSet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        Add(found, type.BaseType);
        foreach (var contract in type.GetInterfaces()) Add(found, contract);
        foreach (var field in type.GetFields(Declared)) Add(found, field.FieldType);
        foreach (var property in type.GetProperties(Declared)) Add(found, property.PropertyType);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info) Add(found, info.ReturnType);
            foreach (var parameter in method.GetParameters()) Add(found, parameter.ParameterType);
            AddBody(found, method);
        }

        return found;
    }

    private static void AddBody(HashSet<Type> found, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) return;
        foreach (var local in body.LocalVariables) Add(found, local.LocalType);
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[at++]));
            var opCode = OpCodeByValue[value];
            var operand = at;
            at += OperandSize(opCode.OperandType, il, at);
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineField or OperandType.InlineMethod)
            {
                var token = BitConverter.ToInt32(il, operand);
                try
                {
                    switch (method.Module.ResolveMember(token, typeArguments, methodArguments))
                    {
                        case Type referenced:
                            Add(found, referenced);
                            break;
                        case FieldInfo field:
                            Add(found, field.DeclaringType);
                            Add(found, field.FieldType);
                            break;
                        case MethodBase called:
                            Add(found, called.DeclaringType);
                            if (called is MethodInfo info) Add(found, info.ReturnType);
                            foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : []) Add(found, argument);
                            break;
                    }
                }
                catch (ArgumentException)
                {
                    // A token whose generic context cannot be given here (a generic method's body seen from its definition).
                }
            }
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null || type.IsGenericParameter) return;
        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments()) Add(found, argument);
            type = type.GetGenericTypeDefinition();
        }

        found.Add(type);
    }
}
