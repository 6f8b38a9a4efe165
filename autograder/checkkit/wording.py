"""Small pieces of English that checks and feedback share: a value's type with its article.

"got a EagerTensor" read as a typo; "got an EagerTensor (a TensorFlow tensor)" says what came
back and what that is. Imports nothing: checks (grading process) and feedback (either side) use it.
"""

# Types whose class name alone does not tell a learner what they hold.
EXPLAINED = {
    "EagerTensor": "a TensorFlow tensor",
    "SymbolicTensor": "a tensor inside a graph, with no value yet",
    "ResourceVariable": "a tf.Variable",
    "KerasTensor": "a symbolic Keras tensor, with no value",
    "PolymorphicFunction": "a tf.function",
    "ndarray": "a NumPy array",
}


SOUNDS_LIKE_A_VOWEL = ("ndarray",)  # "an en-dee-array"


def with_article(noun):
    """"an EagerTensor", "a list": the indefinite article a noun takes, by its first sound (a
    first letter a, e, i or o, or a name read letter by letter; "u" mostly sounds "you")."""
    vowel = noun[:1].lower() in "aeio" or noun.startswith(SOUNDS_LIKE_A_VOWEL)
    return f"{'an' if vowel else 'a'} {noun}"


def a_type(value):
    """What a learner's value is, in words: its type's name with its article, and for the few
    types whose name says little to a learner, what they are: "an EagerTensor (a TensorFlow
    tensor)". Reads only the type, never the value (which a learner's class controls)."""
    name = type(value).__name__
    text = with_article(name)
    return f"{text} ({EXPLAINED[name]})" if name in EXPLAINED else text
