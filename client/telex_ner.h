/* SPDX-License-Identifier: Apache-2.0 */
/*  telex_ner.h -- the `telex ner` and `telex train-ner` subcommands.

    telex ner --conll [--model FILE] [--data DIR] [--threads N] [FILE|-]
        CoNLL lines in (token = first column, blank line ends a sentence,
        -DOCSTART- lines end a document and pass through), "token TAG" out
        with IOB2 tags, blank lines kept.  Documents are tagged on N threads
        (1-4, default the online CPUs up to 4); output is in input order and
        the same for any N.  Exit 0, 2 on usage/model errors.
    telex train-ner --train FILE [--dev FILE] --out FILE [--seed N]
                    [--epochs N] [--bits N] [--data DIR]
        Trains the tagger (deterministic for a seed) and writes the model.
*/
#ifndef TELEX_NER_H
#define TELEX_NER_H

int telex_cmd_ner(int argc, char **argv);
int telex_cmd_train_ner(int argc, char **argv);

#endif
