"""Name pools for the generated natural-language suites (people, by gender).

Names are plain ASCII letters, so a program can use them lower-cased as identifiers (ASP
constants, SMT-LIB symbols, SymPy names); none is a colour, pet or other attribute word the
suites use. Each pool holds 150 names.

Example:
    >>> len(FEMALE), len(MALE), len(set(FEMALE) & set(MALE))
    (150, 150, 0)
    >>> ident("Anna")
    'anna'
"""

from __future__ import annotations

FEMALE = tuple("""
Abigail Ada Adele Agnes Aileen Alice Alma Amanda Amelia Anna Annie Ariana Astrid Audrey Ava Barbara Beatrice
Bella Bernice Beth Bianca Brenda Bridget Camila Carla Carmen Carol Caroline Cassandra Catherine Cecilia
Celine Charlotte Chloe Clara Claudia Cleo Colette Cora Daisy Daphne Deborah Delia Diana Dolores Dora Edith
Eleanor Elena Eliza Ella Eloise Elsa Emily Emma Erica Esther Eva Fatima Felicity Fiona Flora Frances Freya
Gemma Georgia Gina Gloria Grace Greta Gwen Hannah Harriet Heidi Helen Ida Imogen Ingrid Irene Iris Isabel
Ivy Jane Janet Jasmine Jessica Joan Josephine Judith Julia June Karen Kate Katrina Laura Leah Lena Lilian
Linda Lisa Lorna Lucy Lydia Mabel Madeline Maria Marion Martha Maya Megan Mia Miriam Molly Monica Nadia
Naomi Natalie Nina Nora Olga Olivia Paula Penelope Phoebe Priya Rachel Rebecca Regina Rita Rosalind Ruth
Sabrina Sally Sara Selma Sofia Sonia Stella Susan Sylvia Tamara Tessa Thea Ursula Vera Wendy Yasmin Zara Zoe Hilda
""".split())

MALE = tuple("""
Aaron Adam Adrian Ahmed Alan Albert Alex Alfred Andrew Angus Anton Arthur Barry Ben Bernard Bruno Caleb
Calvin Carl Cedric Charles Chris Clark Colin Conrad Craig Cyril Damian Dan Daniel Darius David Dennis Derek
Dominic Douglas Duncan Dylan Edgar Edmund Edward Elias Elliot Emil Eric Ernest Ethan Evan Felix Fergus
Finn Frank Fred Gabriel Gareth George Gerald Gilbert Glen Gordon Graham Gregory Hamish Harold Harry Hector
Henry Howard Hugo Ian Igor Isaac Ivan Jack Jacob James Jason Jasper Joel John Jonah Joseph Julian Karl
Keith Kevin Lars Leo Leon Lewis Liam Louis Lucas Luke Magnus Malcolm Marco Mark Martin Matthew Max Michael
Miles Milo Morris Nathan Neil Nicholas Noah Oliver Omar Oscar Owen Patrick Paul Peter Philip Quentin
Rafael Ralph Raymond Robert Roger Roland Rupert Samuel Sean Simon Stefan Steven Theo Thomas Timothy Tobias
Trevor Victor Vincent Walter Warren Wesley William Xavier Yusuf Zach Abel Boris Clement Desmond Elmer Floyd
""".split())


def ident(name: str) -> str:
    """A name as a program identifier: lower case."""
    return name.lower()
