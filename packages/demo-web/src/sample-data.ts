/**
 * A small built-in data set for the fine-tuning panel: 24 short movie-review sentences, half
 * positive, half negative. Each class leans on a few telling words, which is all a fresh random
 * tiny BERT can pick up from so little data.
 */
export const SAMPLE_CSV = `text,label
I loved this film from start to finish,positive
A wonderful and moving story,positive
The acting was great and the music was lovely,positive
What a delightful surprise,positive
An excellent script with a brilliant cast,positive
I had a great time and would watch it again,positive
Beautiful pictures and a warm heart,positive
Funny and charming in every scene,positive
A truly amazing film,positive
The best movie I have seen this year,positive
I love how happy this film made me,positive
"Clever, kind and wonderful",positive
I hated this film from start to finish,negative
A boring and pointless story,negative
The acting was awful and the music was worse,negative
What a terrible waste of time,negative
A dull script with a bad cast,negative
I was bored and walked out early,negative
Ugly pictures and a cold heart,negative
Tedious and annoying in every scene,negative
A truly horrible film,negative
The worst movie I have seen this year,negative
I hate how sad this film made me,negative
"Stupid, mean and awful",negative
`;

/** Texts to try after training on the sample (not in the sample itself). */
export const SAMPLE_PROBES = ['a wonderful and clever film', 'an awful and boring film'];
