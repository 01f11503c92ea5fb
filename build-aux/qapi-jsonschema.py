#!/usr/bin/env python3
"""JSON Schema (draft-07) of board descriptions, from the QAPI schema.

Usage: qapi-jsonschema.py QEMU-SCRIPTS-DIR QAPI-FILE OUTPUT

Reads qapi/machine-compose.json with QEMU's own QAPI front end (from the
unpacked tree's scripts/ directory), so the schema has the members,
types and doc comments the composer checks against, and writes a JSON
Schema an editor can use to complete, check and explain descriptions.

What the composer accepts beyond the QAPI types, and so the schema too:

- every scalar may be written as a string, parsed by the member's type
  (0x1e784000, 64K, on), or a text with "$" references and expressions
  ("$NAME", "${0x48 + ch}", "$A | $B"), known only once evaluated;
- "constants" at the top, named scalars;
- an entry of a list may be an override ("override: NAME" instead of
  "name", any members, "drop"), or a repetition ("for", with the
  entry's members or with "each", a list of entries or scalars);
- a description that includes others need not have the members the
  included files give (with "include", the board requires none).

Draft-07 because it is the draft editors support fully today
(yaml-language-server, VS Code's JSON service, JetBrains IDEs); flat
unions are therefore "anyOf" one closed object per discriminator value
rather than draft 2019-09's unevaluatedProperties.

Build-time only (run by build-aux/build.sh).

Copyright (c) 2026 qemu-composer contributors
SPDX-License-Identifier: GPL-2.0-or-later
"""

import json
import re
import sys

ROOT = 'ComposeBoard'
SCHEMA_ID = 'https://qemu-composer.invalid/machine-compose.schema.json'

# Scalars written as strings: what the keyval visitor accepts
PARAM_REF = r'.*\$.*'
INT_TEXT = r'[+-]?(0[xX][0-9a-fA-F]+|[0-9]+)'
SIZE_TEXT = r'(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+)?) *[bBkKmMgGtTpPeE]?'
BOOL_TEXT = r'on|off|yes|no|true|false'

INT_RANGES = {
    'int': (-2 ** 63, 2 ** 63 - 1), 'int8': (-2 ** 7, 2 ** 7 - 1),
    'int16': (-2 ** 15, 2 ** 15 - 1), 'int32': (-2 ** 31, 2 ** 31 - 1),
    'int64': (-2 ** 63, 2 ** 63 - 1), 'uint8': (0, 2 ** 8 - 1),
    'uint16': (0, 2 ** 16 - 1), 'uint32': (0, 2 ** 32 - 1),
    'uint64': (0, 2 ** 64 - 1), 'size': (0, 2 ** 64 - 1),
}


def text_of(section):
    """Doc text for an editor: QAPI's @member markup dropped"""
    if section is None:
        return None
    # @member is markup; "@NAME" in quotes is description syntax
    text = re.sub(r'(?<!["\'])@([A-Za-z][\w.-]*)', r'\1', section.text)
    return ' '.join(text.split()) or None


def pattern(*alternatives):
    return {'type': 'string',
            'pattern': '^(' + '|'.join(alternatives) + ')$'}


def builtin(name):
    """A QAPI built-in type as written in a description"""
    ref = pattern(PARAM_REF)
    if name == 'any':
        return {}
    if name == 'str':
        # a YAML scalar that looks like a number or boolean is text too
        return {'type': ['string', 'number', 'boolean']}
    if name == 'bool':
        return {'anyOf': [{'type': 'boolean'}, pattern(BOOL_TEXT, PARAM_REF)]}
    if name in INT_RANGES:
        lo, hi = INT_RANGES[name]
        text = SIZE_TEXT if name == 'size' else INT_TEXT
        return {'anyOf': [{'type': 'integer', 'minimum': lo, 'maximum': hi},
                          pattern(text, PARAM_REF)]}
    if name == 'number':
        return {'anyOf': [{'type': 'number'}, ref,
                          pattern(r'[+-]?[0-9.eE+-]+')]}
    raise ValueError(f'QAPI built-in type {name} is not handled')


def when(member, then, otherwise):
    """@then for an object with @member, else @otherwise"""
    return {'if': {'type': 'object', 'required': [member]},
            'then': then, 'else': otherwise}


class Generator:
    def __init__(self, schema):
        self.schema = schema
        self.defs = {}

    def doc(self, name):
        ent = self.schema.lookup_entity(name)
        return ent.doc if ent is not None else None

    def ref(self, typ, partial):
        """Schema of a member of QAPI type @typ"""
        from qapi.schema import (QAPISchemaArrayType, QAPISchemaBuiltinType,
                                 QAPISchemaEnumType, QAPISchemaObjectType)
        if isinstance(typ, QAPISchemaArrayType):
            return {'type': 'array',
                    'items': self.list_entry(typ.element_type)}
        if isinstance(typ, QAPISchemaBuiltinType):
            return builtin(typ.name)
        if isinstance(typ, QAPISchemaEnumType):
            self.define_enum(typ)
            return {'$ref': f'#/definitions/{typ.name}'}
        if isinstance(typ, QAPISchemaObjectType):
            name = typ.name + ('.partial' if partial else '')
            if name not in self.defs:
                self.defs[name] = None      # recursion guard
                self.defs[name] = self.object(typ, partial)
            return {'$ref': f'#/definitions/{name}'}
        raise ValueError(f'QAPI type {typ.name} is not handled')

    def list_entry(self, typ):
        """An entry of a list of @typ: itself, an override or a repetition"""
        from qapi.schema import QAPISchemaObjectType
        each = {'type': 'array', 'items': {'$ref': '#/definitions/'
                                           + self.list_entry_name(typ)}}
        loop = {'type': 'object',
                'description': 'loop variables: FIRST..LAST, a list of '
                               'scalars, or one scalar',
                'additionalProperties': {}}
        repeat_each = {'type': 'object', 'required': ['for', 'each'],
                       'properties': {'for': loop, 'each': each,
                                      'if': {'type': 'string'}},
                       'additionalProperties': False}
        # if/then rather than anyOf, so that a validator names the
        # member at fault rather than "not valid under any schema"
        entry = self.ref(typ, False)
        if isinstance(typ, QAPISchemaObjectType):
            props = self.partial_members(typ)
            override = dict(props, override={'type': 'string'},
                            drop={'type': 'boolean'})
            override.pop('name', None)
            template = {'type': 'object', 'required': ['for'],
                        'properties': dict(props, **{'for': loop}),
                        'additionalProperties': False}
            entry = when('override',
                         {'type': 'object', 'required': ['override'],
                          'properties': override,
                          'additionalProperties': False},
                         entry)
        else:
            template = repeat_each
        entry = when('for', when('each', repeat_each, template), entry)
        name = self.list_entry_name(typ)
        if name not in self.defs:
            self.defs[name] = entry
        return {'$ref': f'#/definitions/{name}'}

    def partial_members(self, typ):
        """Every member @typ may have, none required (of any branch)"""
        if not typ.branches:
            return self.members(typ, typ.members, True)[0]
        self.ref(typ, True)
        loose = self.defs[typ.name + '.partial']['anyOf'][-1]
        return dict(loose['properties'])

    @staticmethod
    def list_entry_name(typ):
        return typ.name + '.entry'

    def define_enum(self, typ):
        if typ.name in self.defs:
            return
        doc = typ.doc
        values = [m.name for m in typ.members]
        helps = [f'{v}: {text_of(doc.args[v])}' for v in values
                 if doc and v in doc.args and text_of(doc.args[v])]
        d = {'anyOf': [{'enum': values}, pattern(PARAM_REF)]}
        body = text_of(doc.body) if doc else None
        if body or helps:
            d['description'] = '\n'.join(filter(None, [body] + helps))
        self.defs[typ.name] = d

    def members(self, typ, members, partial):
        """properties and required of @members of object type @typ"""
        doc = typ.doc
        props, required = {}, []
        for m in members:
            s = self.ref(m.type, partial)
            help_text = text_of(doc.args.get(m.name)) if doc else None
            if help_text:
                s = ({'description': help_text, 'allOf': [s]}
                     if '$ref' in s else dict(s, description=help_text))
            props[m.name] = s
            # overrides in a description with includes: only the name
            if not m.optional and (not partial or m.name == 'name'):
                required.append(m.name)
        return props, required

    def closed(self, typ, members, partial, extra=None):
        props, required = self.members(typ, members, partial)
        props.update(extra or {})
        d = {'type': 'object', 'properties': props,
             'additionalProperties': False}
        if required:
            d['required'] = required
        return d

    def object(self, typ, partial):
        body = text_of(typ.doc.body) if typ.doc else None
        if not typ.branches:
            d = self.closed(typ, typ.members, partial)
        else:
            d = {'anyOf': self.union(typ, partial)}
        if body:
            d['description'] = body
        return d

    def union(self, typ, partial):
        """A flat union: one closed object per discriminator value"""
        tag = typ.branches.tag_member
        base = [m for m in typ.members if m is not tag]
        variants, every = [], []
        branch_of = {v.name: v.type for v in typ.branches.variants}
        for value in (m.name for m in tag.type.members):
            vtype = branch_of.get(value)
            vmembers = [m for m in vtype.members] if vtype else []
            every += [m for m in vmembers
                      if m.name not in {e.name for e in every}]
            tag_schema = {'const': value}
            body = text_of(tag.type.doc.args.get(value)) \
                if tag.type.doc else None
            if body:
                tag_schema['description'] = body
            v = self.closed(vtype or typ, vmembers, partial,
                            {tag.name: tag_schema})
            v['properties'].update(self.members(typ, base, partial)[0])
            v['required'] = sorted(set(v.get('required', []) +
                                       self.members(typ, base, partial)[1]) |
                                   ({tag.name} if not tag.optional and
                                    not partial else set()))
            if not v['required']:
                del v['required']
            variants.append(v)
        # kind given by a parameter, or left to the included entry
        # (members of any branch, none of them required)
        loose = self.closed(typ, base + every, partial,
                            {tag.name: pattern(PARAM_REF)})
        required = set(self.members(typ, base, partial)[1])
        if not partial:
            required.add(tag.name)
        else:
            loose['properties'][tag.name] = self.ref(tag.type, partial)
        loose.pop('required', None)
        if required:
            loose['required'] = sorted(required)
        variants.append(loose)
        return variants

    def generate(self):
        root = self.schema.lookup_type(ROOT)
        strict = self.ref(root, False)
        partial = self.ref(root, True)
        for name in (ROOT, ROOT + '.partial'):
            self.defs[name]['properties']['constants'] = {
                'type': 'object',
                'description': 'named values, referred to as $NAME',
                'additionalProperties': {
                    'type': ['string', 'number', 'boolean']}}
        top = {
            '$schema': 'http://json-schema.org/draft-07/schema#',
            '$id': SCHEMA_ID,
            'title': 'QEMU composed machine description',
            'description': text_of(root.doc.body) if root.doc else None,
            'type': 'object',
            'if': {'required': ['include']},
            'then': partial,
            'else': strict,
            'definitions': dict(sorted(self.defs.items())),
        }
        return {k: v for k, v in top.items() if v is not None}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split('\n\n')[1])
    scripts, qapi_file, out = sys.argv[1:]
    sys.path.insert(0, scripts)
    from qapi.error import QAPIError
    from qapi.schema import QAPISchema
    try:
        schema = QAPISchema(qapi_file)
    except QAPIError as err:
        sys.exit(f'{err}')
    text = json.dumps(Generator(schema).generate(), indent=1) + '\n'
    with open(out + '.tmp', 'w', encoding='utf-8') as f:
        f.write(text)
    import os
    os.replace(out + '.tmp', out)


if __name__ == '__main__':
    main()
